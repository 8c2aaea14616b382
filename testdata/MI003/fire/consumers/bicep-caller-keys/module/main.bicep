param storageAccountResourceId string

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: last(split(storageAccountResourceId, '/'))
}

resource policy 'Microsoft.Sql/servers/securityAlertPolicies@2023-08-01-preview' = {
  name: 'sql/Default'
  properties: {
    state: 'Enabled'
    storageEndpoint: storageAccount.properties.primaryEndpoints.blob
    storageAccountAccessKey: storageAccount.listKeys().keys[0].value
  }
}
