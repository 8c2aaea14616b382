param location string = resourceGroup().location

// A function app without an identity.
resource func 'Microsoft.Web/sites@2022-09-01' = {
  name: 'fake-func'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  kind: 'functionapp'
  properties: {
    httpsOnly: true
  }
}

resource web 'Microsoft.Web/sites@2022-09-01' = {
    name: 'fake-web'
    identity: {
        type: 'SystemAssigned'
    }
    properties: {}
}
