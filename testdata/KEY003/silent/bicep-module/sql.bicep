// A local module: a SQL server whose administrator password the caller supplies.
param name string
param location string = resourceGroup().location
@secure()
param adminLogin string
@secure()
param loginValue string

resource sql 'Microsoft.Sql/servers@2023-05-01-preview' = {
  name: name
  location: location
  properties: {
    administratorLogin: adminLogin
    administratorLoginPassword: loginValue
  }
}
