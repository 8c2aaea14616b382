resource diag 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'diag'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
}

resource shares 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'shares'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  resource files 'fileServices' = {
    name: 'default'
    resource share 'shares' = {
      name: 'data'
    }
  }
}

resource mounts 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'mounts'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
}

resource scripts 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'scripts'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: true // required by the upload script
  }
}

resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'vm'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    diagnosticsProfile: {
      bootDiagnostics: {
        enabled: true
        storageUri: diag.properties.primaryEndpoints.blob
      }
    }
  }
}

resource envStorage 'Microsoft.App/managedEnvironments/storages@2024-03-01' = {
  name: 'env/files'
  properties: {
    azureFile: {
      accountName: mounts.name
      accountKey: mounts.listKeys().keys[0].value
      shareName: 'data'
      accessMode: 'ReadWrite'
    }
  }
}
