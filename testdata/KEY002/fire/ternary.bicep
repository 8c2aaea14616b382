param prod bool
var smtpPassword = prod ? 'Fake-Tern-Pa55word-1!' : 'Fake-Tern-Pa55word-2!'
var apiToken = prod ? 'Fake-Tern-T0ken-Value-3' : 'Fake-Tern-T0ken-Value-3'
output n int = length(smtpPassword) + length(apiToken)
