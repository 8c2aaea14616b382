// A Data Factory linked service to Azure SQL: the factory's identity, not SqlClient keywords.
@secure()
param sqlPassword string

resource ls 'Microsoft.DataFactory/factories/linkedservices@2018-06-01' = {
  name: 'adf/sql'
  properties: {
    type: 'AzureSqlDatabase'
    typeProperties: {
      connectionString: 'Server=tcp:sqlsrv${environment().suffixes.sqlServerHostname},1433;Initial Catalog=db;User ID=admin;Password=${sqlPassword};'
    }
  }
}
