param principalId string
param ownerRoleId string = '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'

var uaaRoleId = '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9'

resource contributor 'Microsoft.Authorization/roleDefinitions@2022-04-01' existing = {
  scope: subscription()
  name: 'b24988ac-6180-42a0-ab88-20f7382dd24c'
}

resource owner 'Microsoft.Authorization/roleDefinitions@2022-04-01' existing = {
  scope: subscription()
  name: ownerRoleId
}

resource uaa 'Microsoft.Authorization/roleDefinitions@2022-04-01' existing = {
  name: uaaRoleId
}

resource contributorAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, contributor.id)
  properties: {
    roleDefinitionId: contributor.id
    principalId: principalId
  }
}

resource ownerAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, owner.id)
  properties: {
    roleDefinitionId: owner.id
    principalId: principalId
  }
}

resource uaaAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, uaa.name)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', uaa.name)
    principalId: principalId
  }
}
