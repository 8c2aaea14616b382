param name string

resource openai 'Microsoft.CognitiveServices/accounts@2023-05-01' existing = {
  name: name
}

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: name
}

var storageKey = storage.listKeys().keys[0].value

// The keys reach the module's app settings: reported here, at the arguments.
module app './app.bicep' = {
  name: 'app'
  params: {
    name: name
    openAiKey: openai.listKeys().key1
    storageConnection: 'DefaultEndpointsProtocol=https;AccountName=${name};AccountKey=${storageKey}'
  }
}
