param actions array = [
  'Microsoft.Storage/storageAccounts/read'
]

resource ras 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in roleIds: {
  name: guid(resourceGroup().id, roleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    principalId: principalId
  }
}]

resource def 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid('custom')
  properties: {
    roleName: 'custom'
    permissions: [
      {
        actions: actions
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}
