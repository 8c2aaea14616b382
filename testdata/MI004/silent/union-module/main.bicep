// The caller passes an Entra-only administrator: the merged object turns SQL logins off.
module db 'sql.bicep' = {
  name: 'sql-orders'
  params: {
    name: 'sql-orders'
    administrators: {
      azureADOnlyAuthentication: true
      login: 'sql-admins'
      sid: '00000000-0000-0000-0000-000000000000'
    }
  }
}
