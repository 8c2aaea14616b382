// A stand-in default is deployed as the password whenever the parameter is omitted.
@secure()
param adminPassword string

@secure()
param apiKey string

output passwordLength int = length(adminPassword) + length(apiKey)
