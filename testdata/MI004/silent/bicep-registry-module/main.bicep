// A registry module restored by `bicep restore`: Entra-only authentication.
module sql 'br/public:avm/res/sql/server:0.4.0' = {
  name: 'sql'
  params: {
    name: 'sql-orders'
    administrators: {
      administratorType: 'ActiveDirectory'
      azureADOnlyAuthentication: true
      login: 'sql-admins'
      principalType: 'Group'
      sid: '0f8fad5b-d9cb-469f-a165-70867728950e'
      tenantId: '7c9e6679-7425-40de-944b-e07fc1f90ae7'
    }
  }
}
