param name string
param location string = resourceGroup().location

resource openai 'Microsoft.CognitiveServices/accounts@2023-05-01' existing = {
  name: name
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: name
}

resource site 'Microsoft.Web/sites@2022-09-01' = {
  name: name
  location: location
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'OPENAI_KEY', value: openai.listKeys().key1 }
      ]
    }
  }
}

var registrySecrets = [
  {
    name: 'registry-password'
    value: registry.listCredentials().passwords[0].value
  }
]

resource app 'Microsoft.App/containerApps@2023-05-01' = {
  name: name
  location: location
  properties: {
    configuration: {
      secrets: registrySecrets
    }
  }
}

resource job 'Microsoft.MachineLearningServices/workspaces/datastores@2023-10-01' = {
  name: '${name}/blobs'
  properties: {
    credentials: {
      credentialsType: 'AccountKey'
      secrets: {
        secretsType: 'AccountKey'
        key: storage.listKeys().keys[0].value
      }
    }
    datastoreType: 'AzureBlob'
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: name
}
