@secure()
param sqlPassword string

var dwConnection = 'Server=tcp:dw.database.windows.net,1433;Database=dw;User ID=loader;Password=${sqlPassword};Encrypt=True'

resource linked 'Microsoft.DataFactory/datafactories/linkedservices@2015-10-01' = {
  name: 'factory/dw'
  properties: {
    type: 'AzureSqlDW'
    typeProperties: {
      connectionString: dwConnection
    }
  }
}
