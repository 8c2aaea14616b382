@secure()
param sqlPassword string
param adminObjectId string

resource server 'Microsoft.Sql/servers@2023-08-01-preview' = {
  name: 'db'
  location: 'westeurope'
  properties: {
    administratorLogin: 'sqladmin'
    administratorLoginPassword: sqlPassword
    administrators: {
      administratorType: 'ActiveDirectory'
      login: 'dba'
      sid: adminObjectId
      tenantId: subscription().tenantId
    }
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
          connectionString: 'Server=tcp:${server.properties.fullyQualifiedDomainName};Database=app;Authentication=Active Directory Default'
        }
      ]
    }
  }
}
