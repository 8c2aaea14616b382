param prod bool
@secure()
param smtpPasswordProd string
var smtpPassword = prod ? smtpPasswordProd : ''
var apiToken = prod ? '$(ApiToken)' : '<api-token>'
var passwordLength = prod ? 'sixteen-chars-long' : 'eight-chars'
output n int = length(smtpPassword) + length(apiToken) + length(passwordLength)
