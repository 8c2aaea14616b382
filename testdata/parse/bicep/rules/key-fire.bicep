@secure()
param adminPassword string = 'Fake-Bicep-Adm1n-Pa55!'

resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: 'st'
}

resource site 'Microsoft.Web/sites@2022-03-01' = {
  name: 'app'
  location: resourceGroup().location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    siteConfig: {
      appSettings: [
        {
          name: 'SMTP_PASSWORD'
          value: 'Fake-Bicep-Smtp-Pa55!'
        }
      ]
    }
  }
}

output storageKey string = sa.listKeys().keys[0].value
