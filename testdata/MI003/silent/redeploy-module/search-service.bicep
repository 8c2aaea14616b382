param name string
param disableLocalAuth bool = true
param managedIdentities object = {}

resource search 'Microsoft.Search/searchServices@2023-11-01' = {
  name: name
  location: resourceGroup().location
  sku: { name: 'basic' }
  identity: empty(managedIdentities) ? null : { type: 'SystemAssigned' }
  properties: {
    disableLocalAuth: disableLocalAuth
  }
}
