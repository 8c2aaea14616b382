// A spread that can set allowSharedKeyAccess to false: the value is not known to be at fault.
param lockDown bool = true
param enableHierarchicalNamespace bool?

resource sa 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stdata'
  location: resourceGroup().location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: true
    minimumTlsVersion: 'TLS1_2'
    ...(lockDown ? { allowSharedKeyAccess: false } : {})
    ...(enableHierarchicalNamespace != null ? { isHnsEnabled: enableHierarchicalNamespace } : {})
  }
}
