param storageName string

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: storageName
}

resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'vm1'
  location: resourceGroup().location
  properties: {}
}

resource script 'Microsoft.Compute/virtualMachines/extensions@2023-03-01' = {
  parent: vm
  name: 'CustomScript'
  location: resourceGroup().location
  properties: {
    publisher: 'Microsoft.Azure.Extensions'
    type: 'CustomScript'
    typeHandlerVersion: '2.1'
    protectedSettings: {
      storageAccountName: storageName
      storageAccountKey: storage.listKeys().keys[0].value
    }
  }
}
