@secure()
param dbPassword string

resource app 'Microsoft.Web/sites@2022-09-01' = {
  name: 'app'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'DB_PASSWORD', value: dbPassword }
      ]
    }
  }
}
