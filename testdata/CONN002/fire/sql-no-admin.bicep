@secure()
param sqlPassword string

resource server 'Microsoft.Sql/servers@2023-08-01-preview' = {
  name: 'db'
  location: 'westeurope'
  properties: {
    administratorLogin: 'sqladmin'
    administratorLoginPassword: sqlPassword
  }
}

resource app 'Microsoft.Web/sites@2022-09-01' = {
  name: 'app'
  location: 'westeurope'
  identity: { type: 'SystemAssigned' }
  properties: {
    siteConfig: {
      connectionStrings: [
        {
          name: 'Db'
          type: 'SQLAzure'
          connectionString: 'Server=tcp:${server.properties.fullyQualifiedDomainName};Database=app;User ID=sqladmin;Password=${sqlPassword}'
        }
      ]
    }
  }
}
