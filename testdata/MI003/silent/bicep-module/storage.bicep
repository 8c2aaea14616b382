// A local module: a storage account whose shared key switch is the caller's choice.
param name string
param location string = resourceGroup().location
param allowSharedKey bool = false

resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: name
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: allowSharedKey
    minimumTlsVersion: 'TLS1_2'
  }
}
