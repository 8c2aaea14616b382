// The caller gives a SQL login and leaves the Entra administrator out: SQL logins stay on.
@secure()
param sqlPassword string

module db 'sql.bicep' = {
  name: 'sql-orders'
  params: {
    name: 'sql-orders'
    administratorLogin: 'ordersadmin'
    administratorLoginPassword: sqlPassword
  }
}
