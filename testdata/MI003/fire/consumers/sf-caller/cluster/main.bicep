param diagnosticsStorageAccountConfig object = {}

resource cluster 'Microsoft.ServiceFabric/clusters@2021-06-01' = {
  name: 'fabric'
  location: resourceGroup().location
  properties: {
    diagnosticsStorageAccountConfig: diagnosticsStorageAccountConfig
    managementEndpoint: 'https://fabric.example.test:19080'
    nodeTypes: []
    reliabilityLevel: 'Silver'
  }
}
