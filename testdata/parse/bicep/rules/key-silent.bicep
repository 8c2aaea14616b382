@secure()
param adminPassword string

resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'kv'
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
          value: '@Microsoft.KeyVault(SecretUri=${kv.properties.vaultUri}secrets/smtp/)'
        }
      ]
    }
  }
}

module db './db.bicep' = {
  name: 'db'
  params: {
    administratorLoginPassword: kv.getSecret('sql-admin')
  }
}

output siteName string = site.name
