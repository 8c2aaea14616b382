param name string

resource openai 'Microsoft.CognitiveServices/accounts@2023-05-01' existing = {
  name: name
}

// No key is passed: an endpoint, and the identity-based storage setting.
module app './app.bicep' = {
  name: 'app'
  params: {
    name: openai.name
    storageConnection: 'https://${name}.blob.core.windows.net'
  }
}
