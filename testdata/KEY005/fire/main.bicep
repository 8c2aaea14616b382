param storageName string

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: storageName
}

// not secure: kept in the deployment history in clear text (error)
output storageKey string = storage.listKeys().keys[0].value

// secure: not kept in the deployment history, but a key handed to the caller (note)
@secure()
output storageConnectionString string = 'DefaultEndpointsProtocol=https;AccountName=${storageName};AccountKey=${storage.listKeys().keys[0].value}'
