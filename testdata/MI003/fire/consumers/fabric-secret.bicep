resource logStore 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'sflogs'
  location: resourceGroup().location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
}

resource fabric 'Microsoft.ServiceFabric/clusters@2021-06-01' = {
  name: 'fabric'
  location: resourceGroup().location
  properties: {
    diagnosticsStorageAccountConfig: {
      blobEndpoint: logStore.properties.primaryEndpoints.blob
      protectedAccountKeyName: 'StorageAccountKey1'
      storageAccountName: logStore.name
    }
    managementEndpoint: 'https://fabric.example.test:19080'
    nodeTypes: []
    reliabilityLevel: 'Silver'
  }
}

resource keptStore 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'keptkeys'
  location: resourceGroup().location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    allowSharedKeyAccess: true
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'vault'
}

resource keptSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'kept-key'
  properties: {
    value: keptStore.listKeys().keys[0].value
  }
}

resource plainStore 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'plainkeys'
  location: resourceGroup().location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
}

resource plainSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'plain-key'
  properties: {
    value: plainStore.listKeys().keys[0].value
  }
}
