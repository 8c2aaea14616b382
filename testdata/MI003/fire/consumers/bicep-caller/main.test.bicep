module nestedDependencies 'dependencies.bicep' = {
  name: 'deps'
  params: {
    storageAccountName: 'depst'
  }
}

module testDeployment 'batch/main.bicep' = {
  name: 'test'
  params: {
    name: 'batch001'
    storageAccountResourceId: nestedDependencies.outputs.storageAccountResourceId
  }
}
