// A reusable SQL server module: the Entra administrator is merged over defaults and optional.
param name string
param administratorLogin string = ''
@secure()
param administratorLoginPassword string = ''
param administrators object?

resource server 'Microsoft.Sql/servers@2023-08-01-preview' = {
  name: name
  location: resourceGroup().location
  properties: {
    administratorLogin: !empty(administratorLogin) ? administratorLogin : null
    administratorLoginPassword: !empty(administratorLoginPassword) ? administratorLoginPassword : null
    administrators: union({ administratorType: 'ActiveDirectory', principalType: 'Group' }, administrators ?? {})
  }
}
