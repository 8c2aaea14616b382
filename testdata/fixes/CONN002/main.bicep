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
          name: 'AzureWebJobsStorage__accountName'
          value: '${sa.name}'
        }
        {
          name: 'OrdersQueue__fullyQualifiedNamespace'
          value: '${sb.name}.servicebus.windows.net'
        }
        {
          name: 'SqlDb'
          value: 'Server=tcp:${sqlServerName}${environment().suffixes.sqlServerHostname},1433;Database=app;Encrypt=True;Authentication=Active Directory Default'
        }
      ]
    }
  }
}
