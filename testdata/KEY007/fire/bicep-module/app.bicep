// A local module: a web app whose settings are whatever the caller passes.
param name string
param location string = resourceGroup().location
param openAiKey string = ''
@description('Connection string of the storage account the functions use.')
param storageConnection string = ''

resource site 'Microsoft.Web/sites@2022-09-01' = {
  name: name
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'OPENAI_ENDPOINT', value: 'https://${name}.openai.azure.com/' }
        { name: 'OPENAI_KEY', value: openAiKey }
        { name: 'AzureWebJobsStorage', value: storageConnection }
      ]
    }
  }
}
