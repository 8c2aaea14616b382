// The module's own default keeps shared keys on; the two spreads after it cannot set
// allowSharedKeyAccess, so they do not hide it.
param allowSharedKeyAccess bool = true
param enableHierarchicalNamespace bool?
param filesAuth object = {}

resource sa 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'stdata'
  location: resourceGroup().location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: allowSharedKeyAccess
    minimumTlsVersion: 'TLS1_2'
    ...(!empty(filesAuth) ? { azureFilesIdentityBasedAuthentication: filesAuth } : {})
    ...(enableHierarchicalNamespace != null ? { isHnsEnabled: enableHierarchicalNamespace } : {})
  }
}
