param vaultName string
param storageAccountName string

resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: storageAccountName
}

resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: vaultName
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: kv
  name: 'storage-connection-string'
  properties: {
    value: 'DefaultEndpointsProtocol=https;AccountName=${sa.name};AccountKey=${sa.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
  }
}

resource busSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  name: '${vaultName}/bus-connection'
  properties: {
    contentType: 'connection string'
    value: 'Endpoint=sb://fakens.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${listKeys(resourceId('Microsoft.ServiceBus/namespaces/authorizationRules', 'fakens', 'send'), '2021-11-01').primaryKey}'
  }
}
