// A registry module restored by `bicep restore`: a password administrator and no Entra-only
// authentication.
@secure()
param sqlAdminPassword string

module sql 'br/public:avm/res/sql/server:0.4.0' = {
  name: 'sql'
  params: {
    name: 'sql-orders'
    administratorLogin: 'sqladmin'
    administratorLoginPassword: sqlAdminPassword
  }
}
