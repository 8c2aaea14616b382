var storageAccountKeys = [
  'MhBBqcAnCpySCkIuGwIBo5e+DAYxvtInNRkQc39o0Mf9KYYm4wqkXgKCXS3gPVOj69DGH9RtD7mV5RVjo8OTpQ=='
  'PLZifKX7vQ4kMa3Z+9YM7cCzCnvfhvNaTVnZtgddUyirg5MvwzBXxDxWZHDjY9AAZvfGPvLy5ucYZBkJRy+w7Q=='
]
var adminPasswords = 'Fake-Plural-Pa55-01!;Fake-Plural-Pa55-02!'
output n int = length(storageAccountKeys) + length(adminPasswords)
