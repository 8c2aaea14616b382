// A function app without an identity, a storage account that still takes shared keys,
// and an app with two identities and no setting that says which one to use.
param location string = resourceGroup().location

resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'stordersfire'
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: true
  }
}

resource fn 'Microsoft.Web/sites@2022-09-01' = {
  name: 'fn-orders-fire'
  location: location
  kind: 'functionapp'
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'FUNCTIONS_EXTENSION_VERSION', value: '~4' }
      ]
    }
  }
}

resource uami 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-orders'
  location: location
}

resource api 'Microsoft.Web/sites@2022-09-01' = {
  name: 'api-orders-fire'
  location: location
  kind: 'app'
  identity: {
    type: 'SystemAssigned, UserAssigned'
    userAssignedIdentities: {
      '${uami.id}': {}
    }
  }
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'Orders__Endpoint', value: 'https://orders.example.com' }
      ]
    }
  }
}
