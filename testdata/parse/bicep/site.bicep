// A web app with a key vault secret, a role assignment and a storage account.
targetScope = 'resourceGroup'

@secure()
@description('Administrator password')
param adminPassword string = 'P@ssw0rd-default'
param location string = resourceGroup().location
@allowed([
  'Standard_LRS'
  'Standard_GRS'
])
param sku string = 'Standard_LRS'
param tags object?

var storageName = 'st${uniqueString(resourceGroup().id)}'

resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: { name: sku }
  properties: {
    allowSharedKeyAccess: false
  }
}

resource site 'Microsoft.Web/sites@2022-03-01' = {
  name: 'app-${location}'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    siteConfig: {
      appSettings: [
        {
          name: 'STORAGE_KEY'
          value: sa.listKeys().keys[0].value
        }
        { name: 'MODE', value: 'prod' }
      ]
    }
  }
  resource appsettings 'config' = {
    name: 'appsettings'
    properties: {
      DB_PASSWORD: adminPassword
    }
  }
}

resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(sa.id, site.id)
  scope: sa
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
    principalId: site.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

@secure()
output key string = sa.listKeys().keys[0].value
output endpoint string = sa.properties.primaryEndpoints.blob
