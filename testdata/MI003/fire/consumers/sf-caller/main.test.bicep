module nestedDependencies 'dependencies.bicep' = {
  name: 'deps'
  params: {
    storageAccountName: 'depsflogs'
  }
}

module testDeployment 'cluster/main.bicep' = {
  name: 'test'
  params: {
    diagnosticsStorageAccountConfig: {
      blobEndpoint: 'https://${nestedDependencies.outputs.storageAccountName}.blob.${environment().suffixes.storage}/'
      protectedAccountKeyName: 'StorageAccountKey1'
      storageAccountName: nestedDependencies.outputs.storageAccountName
    }
  }
}
