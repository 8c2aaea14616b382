// An empty identity, or one whose type resolves to None, is no identity.
param identityType string = 'None'

resource emptyIdentity 'Microsoft.Web/sites@2022-09-01' = {
  name: 'empty-identity'
  location: 'westeurope'
  identity: {}
  properties: {}
}

resource paramNone 'Microsoft.Web/sites@2022-09-01' = {
  name: 'param-none'
  location: 'westeurope'
  identity: {
    type: identityType
  }
  properties: {}
}
