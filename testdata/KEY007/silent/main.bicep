param name string
param location string = resourceGroup().location
@secure()
param apiKey string

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: name
}

resource vault 'Microsoft.KeyVault/vaults@2023-02-01' existing = {
  name: name
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-02-01' = {
  parent: vault
  name: 'storage-key'
  properties: {
    value: storage.listKeys().keys[0].value
  }
}

resource site 'Microsoft.Web/sites@2022-09-01' = {
  name: name
  location: location
  identity: { type: 'SystemAssigned' }
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'Storage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
      ]
    }
  }
}

resource datastore 'Microsoft.MachineLearningServices/workspaces/datastores@2023-10-01' = {
  name: '${name}/blobs'
  properties: {
    credentials: { credentialsType: 'None' }
    datastoreType: 'AzureBlob'
    serviceDataAccessAuthIdentity: 'WorkspaceSystemAssignedIdentity'
  }
}
