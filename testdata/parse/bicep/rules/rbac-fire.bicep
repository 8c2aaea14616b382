targetScope = 'subscription'

@description('Object id of the deployment pipeline identity.')
param pipelinePrincipalId string

var ownerRoleId = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'

resource pipelineOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, pipelinePrincipalId, ownerRoleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', ownerRoleId)
    principalId: pipelinePrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource everything 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'do-everything')
  properties: {
    roleName: 'Do everything'
    permissions: [
      {
        actions: [
          '*'
        ]
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}
