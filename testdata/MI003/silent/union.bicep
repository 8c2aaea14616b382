// A later union() argument that sets the switch decides it; one that may set it (an object
// the caller passes) is not known.
param overrides object

resource bus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: 'sb-orders'
  location: resourceGroup().location
  properties: union({
    disableLocalAuth: false
  }, {
    disableLocalAuth: true
  })
}

resource data 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'storders'
  location: resourceGroup().location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: union({
    allowSharedKeyAccess: true
  }, overrides)
}
