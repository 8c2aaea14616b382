param dbHost string

resource app 'Microsoft.Web/sites@2022-09-01' = {
  name: 'app'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'DB_HOST', value: dbHost }
        { name: 'DB_PASSWORD', value: '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)' }
      ]
    }
  }
}
