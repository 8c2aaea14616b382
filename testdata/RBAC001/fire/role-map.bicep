// A built-in role picked from a map by a parameter whose default is Contributor.
@allowed([
  'Owner'
  'Contributor'
  'Reader'
])
param builtInRoleType string = 'Contributor'
param principalId string

var roles = {
  Owner: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8e3af657-a8ff-443c-a75c-2fe8c4bcb635')
  Contributor: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')
  Reader: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, builtInRoleType)
  properties: {
    roleDefinitionId: roles[builtInRoleType]
    principalId: principalId
  }
}
