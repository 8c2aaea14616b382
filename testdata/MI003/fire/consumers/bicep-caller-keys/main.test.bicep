module nestedDependencies 'dependencies.bicep' = {
  name: 'deps'
  params: {
    storageAccountName: 'depst'
  }
}

module testDeployment 'module/main.bicep' = {
  name: 'test'
  params: {
    storageAccountResourceId: nestedDependencies.outputs.storageAccountResourceId
  }
}
