param diagName string

resource diag 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: diagName
  location: resourceGroup().location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
}

resource data 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'appdata${uniqueString(resourceGroup().id)}'
  location: resourceGroup().location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
}
