// A data-plane role on the one storage account the app reads, and a narrow custom role.
param principalId string

resource st 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: 'stordersdata'
}

resource blobReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(st.id, principalId, 'blob-reader')
  scope: st
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

resource restarter 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(resourceGroup().id, 'restart-sites')
  properties: {
    roleName: 'Site restarter'
    permissions: [
      {
        actions: [
          'Microsoft.Web/sites/restart/action'
          'Microsoft.Web/sites/read'
        ]
      }
    ]
    assignableScopes: [
      resourceGroup().id
    ]
  }
}
