var keys = [
  'key1'
  'key2'
]
var storageAccountKeys = [for k in keys: k]
var adminPasswords = [
  '$(AdminPassword1)'
]
output n int = length(storageAccountKeys) + length(adminPasswords)
