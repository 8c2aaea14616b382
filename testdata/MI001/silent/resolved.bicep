// An identity type that resolves to a declared identity, or stays unknown, is not "no identity".
param identityType string = 'SystemAssigned'

param managedIdentity object

resource paramSystem 'Microsoft.Web/sites@2022-09-01' = {
  name: 'param-system'
  location: 'westeurope'
  identity: {
    type: identityType
  }
  properties: {}
}

resource fromParam 'Microsoft.Web/sites@2022-09-01' = {
  name: 'from-param'
  location: 'westeurope'
  identity: managedIdentity
  properties: {}
}

resource conditional 'Microsoft.Web/sites@2022-09-01' = {
  name: 'conditional'
  location: 'westeurope'
  identity: empty(managedIdentity) ? null : { type: 'SystemAssigned' }
  properties: {}
}
