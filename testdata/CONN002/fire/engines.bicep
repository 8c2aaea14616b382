// A secure parameter spliced into the connection strings of several engines: each gets its
// engine's advice (JDBC keywords for SQL Server, Entra tokens for PostgreSQL/MySQL, keys kept in
// Key Vault for Cosmos DB for MongoDB).
@secure()
param dbPassword string
param server string

resource app 'Microsoft.Web/sites@2023-01-01' = {
  name: 'app'
  kind: 'app,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'SPRING_DATASOURCE_URL', value: 'jdbc:sqlserver://${server}.database.windows.net:1433;database=app;user=admin;password=${dbPassword};encrypt=true' }
        { name: 'PG', value: 'jdbc:postgresql://${server}.postgres.database.azure.com:5432/app?user=admin&password=${dbPassword}&sslmode=require' }
        { name: 'MYSQL', value: 'jdbc:mysql://${server}.mysql.database.azure.com:3306/app?user=admin&password=${dbPassword}' }
        { name: 'REDIS', value: '${server}.redis.cache.windows.net:6380,password=${dbPassword},ssl=True' }
        { name: 'DB_PASSWORD', value: dbPassword }
        { name: 'MONGO', value: 'mongodb://admin:${dbPassword}@${server}.mongo.cosmos.azure.com:10255/?ssl=true' }
      ]
    }
  }
}
