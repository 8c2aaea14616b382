param name string
param storageAccountResourceId string
param storageAuthenticationMode string = 'StorageKeys'

resource batch 'Microsoft.Batch/batchAccounts@2024-02-01' = {
  name: name
  location: resourceGroup().location
  identity: { type: 'SystemAssigned' }
  properties: {
    autoStorage: {
      storageAccountId: storageAccountResourceId
      authenticationMode: storageAuthenticationMode
    }
  }
}
