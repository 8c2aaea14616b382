param storageAccountName string
param useIdentity bool = false

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: storageAccountName
}

var webJobsValues = !useIdentity
  ? {
      AzureWebJobsStorage: 'DefaultEndpointsProtocol=https;AccountName=${storageAccount.name};AccountKey=${storageAccount.listKeys().keys[0].value}'
    }
  : {
      AzureWebJobsStorage__accountName: storageAccount.name
    }

var prefix = 'DefaultEndpointsProtocol=https;AccountName=${storageAccount.name};AccountKey='

var queues = '${prefix}${storageAccount.listKeys().keys[0].value}'

var connection = 'DefaultEndpointsProtocol=https;AccountName=${storageAccount.name};AccountKey=${storageAccount.listKeys().keys[0].value}'

// Uses of a variable that holds a whole connection string are reported where it is defined.
var settings = {
  AzureWebJobsStorage: connection
  Other: '${connection}'
}
