param location string = resourceGroup().location

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
