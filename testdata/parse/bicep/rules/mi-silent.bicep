// The same resources written for managed identities: shared keys off, one identity per app or
// the one to use named in the settings.
param location string = resourceGroup().location

resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'storderssilent'
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
  }
}

resource fn 'Microsoft.Web/sites@2022-09-01' = {
  name: 'fn-orders-silent'
  location: location
  kind: 'functionapp'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'AzureWebJobsStorage__accountName', value: st.name }
      ]
    }
  }
}

resource uami 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-orders'
  location: location
}

resource api 'Microsoft.Web/sites@2022-09-01' = {
  name: 'api-orders-silent'
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
        { name: 'AZURE_CLIENT_ID', value: uami.properties.clientId }
      ]
    }
  }
}
