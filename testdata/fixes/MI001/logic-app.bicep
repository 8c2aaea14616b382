// A workflow that reads a Key Vault secret over HTTP calls a service that accepts an identity.
resource wf 'Microsoft.Logic/workflows@2019-05-01' = {
  name: 'reads-vault'
  location: 'westeurope'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    definition: {
      triggers: {
        manual: { type: 'Request', kind: 'Http' }
      }
      actions: {
        Get_secret: {
          type: 'Http'
          inputs: {
            method: 'GET'
            uri: 'https://kv-app.vault.azure.net/secrets/api-key?api-version=7.4'
          }
        }
      }
    }
  }
}
