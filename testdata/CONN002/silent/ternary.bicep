param storageAccountName string
param useIdentity bool = true

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: storageAccountName
}

var webJobsValues = useIdentity
  ? {
      AzureWebJobsStorage__accountName: storageAccount.name
      AzureWebJobsStorage__blobServiceUri: storageAccount.properties.primaryEndpoints.blob
    }
  : {}
