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
          connectionString: 'Server=tcp:db.database.windows.net;Database=app;User ID=admin;Password=Fake-Bicep-Conn-Pa55!;'
          type: 'SQLAzure'
        }
      ]
    }
  }
}
