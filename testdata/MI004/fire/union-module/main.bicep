// The caller leaves the optional administrator out: `administrators ?? {}` is `{}`, the merged
// object has no `azureADOnlyAuthentication`, and SQL logins stay on.
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
