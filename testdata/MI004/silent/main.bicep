resource sql 'Microsoft.Sql/servers@2023-05-01-preview' = {
  name: 'fakesql'
  location: 'westeurope'
  properties: {
    administrators: {
      administratorType: 'ActiveDirectory'
      login: 'sql-admins'
      sid: '0f8fad5b-d9cb-469f-a165-70867728950e'
      tenantId: '7c9e6679-7425-40de-944b-e07fc1f90ae7'
      azureADOnlyAuthentication: true
    }
  }
}
