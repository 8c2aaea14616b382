param sqlServerName string

resource site 'Microsoft.Web/sites@2022-03-01' = {
  name: 'app'
  location: resourceGroup().location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    siteConfig: {
      connectionStrings: [
        {
          name: 'Db'
          connectionString: 'Server=tcp:${sqlServerName}.database.windows.net;Database=app;Authentication=Active Directory Default;'
          type: 'SQLAzure'
        }
      ]
    }
  }
}
