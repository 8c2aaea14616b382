// The caller makes the server Entra-only.
module db 'sql.bicep' = {
  name: 'sql-orders'
  params: {
    name: 'sql-orders'
    administrators: {
      administratorType: 'ActiveDirectory'
      azureADOnlyAuthentication: true
      login: 'sql-admins'
      principalType: 'Group'
      sid: '00000000-0000-0000-0000-000000000000'
      tenantId: tenant().tenantId
    }
  }
}
