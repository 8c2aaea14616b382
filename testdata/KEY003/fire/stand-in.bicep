// A stand-in default is deployed as the password whenever the parameter is omitted.
@secure()
param adminPassword string = 'secret'

@secure()
param apiKey string = 'changeme'

output passwordLength int = length(adminPassword) + length(apiKey)
