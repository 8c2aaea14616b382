resource store 'Microsoft.Storage/storageAccounts@2016-01-01' existing = {
  name: 'regstore'
}

resource registry 'Microsoft.ContainerRegistry/registries@2016-06-27-preview' = {
  name: 'classicreg'
  location: resourceGroup().location
  properties: {
    storageAccount: {
      name: store.name
      accessKey: store.listKeys().keys[0].value
    }
  }
}
