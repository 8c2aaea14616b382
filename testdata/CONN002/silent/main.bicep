resource sb 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' existing = {
  name: 'fakens'
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
          name: 'OrdersQueue__fullyQualifiedNamespace'
          value: '${sb.name}.servicebus.windows.net'
        }
      ]
    }
  }
}
