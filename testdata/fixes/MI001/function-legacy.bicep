resource store 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: 'funcstore'
}

resource legacy 'Microsoft.Web/sites@2022-09-01' = {
  name: 'legacyfunc'
  location: resourceGroup().location
  identity: {
    type: 'SystemAssigned'
  }
  kind: 'functionapp'
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'AzureWebJobsDashboard', value: 'DefaultEndpointsProtocol=https;AccountName=${store.name};AccountKey=${store.listKeys().keys[0].value}' }
        { name: 'AzureWebJobsStorage', value: 'DefaultEndpointsProtocol=https;AccountName=${store.name};AccountKey=${store.listKeys().keys[0].value}' }
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~2' }
      ]
    }
  }
}
