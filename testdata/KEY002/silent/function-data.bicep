@secure()
param adminPassword string

var common = {
  region: 'westeurope'
}

var settings = union(common, {
  adminPassword: adminPassword
  passwordLength: '24'
})

output settingsCount int = length(items(settings))
