param sqlServerName string
param adminLogin string
@secure()
param adminPassword string

resource sb 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' existing = {
  name: 'fakens'
}

resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: 'fakeacct'
}

resource func 'Microsoft.Web/sites@2022-09-01' = {
  name: 'fake-func'
  location: 'westeurope'
  kind: 'functionapp'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    siteConfig: {
      appSettings: [
        {
          name: 'AzureWebJobsStorage'
          value: 'DefaultEndpointsProtocol=https;AccountName=${sa.name};AccountKey=${sa.listKeys().keys[0].value}'
        }
        {
          name: 'OrdersQueue'
          value: 'Endpoint=sb://${sb.name}.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${listKeys(resourceId('Microsoft.ServiceBus/namespaces/authorizationRules', sb.name, 'RootManageSharedAccessKey'), '2022-10-01-preview').primaryKey}'
        }
        {
          name: 'SqlDb'
          value: 'Server=tcp:${sqlServerName}${environment().suffixes.sqlServerHostname},1433;Database=app;User ID=${adminLogin};Password=${adminPassword};Encrypt=True'
        }
      ]
    }
  }
}
