// The object literals of a union() stay visible: the spread after them cannot set
// disableLocalAuth or allowSharedKeyAccess, so it hides neither.
param enableHns bool = false
param tags object = {}

resource bus 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: 'sb-orders'
  location: resourceGroup().location
  properties: union({
    disableLocalAuth: false
    minimumTlsVersion: '1.2'
  }, enableHns ? { zoneRedundant: true } : {})
}

resource data 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'storders'
  location: resourceGroup().location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  tags: tags
  properties: union(
    {
      minimumTlsVersion: 'TLS1_2'
    },
    {
      allowSharedKeyAccess: true
    },
    enableHns ? { isHnsEnabled: true } : {}
  )
}
