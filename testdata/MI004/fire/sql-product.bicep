param sqlAdminLogin string
@secure()
param sqlAdminPassword string

resource sql 'Microsoft.Sql/servers@2021-11-01' = {
  name: 'product-sql'
  location: 'westeurope'
  properties: {
    administratorLogin: sqlAdminLogin
    administratorLoginPassword: sqlAdminPassword
  }
}

resource app 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'product'
  location: 'westeurope'
  properties: {
    osType: 'Linux'
    containers: [
      {
        name: 'product'
        properties: {
          image: 'example/product:1'
          resources: { requests: { cpu: 1, memoryInGB: 2 } }
          environmentVariables: [
            { name: 'DB_USER', value: sqlAdminLogin }
            { name: 'DB_PASSWORD', secureValue: sqlAdminPassword }
          ]
        }
      }
    ]
  }
}
