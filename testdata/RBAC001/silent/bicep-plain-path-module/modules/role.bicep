// A local module: assigns the role it is given at the resource group it is deployed to.
param principalId string
@description('Role definition id (GUID); Reader unless the caller says otherwise.')
param roleId string = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'

var roleDefinitionId = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, principalId, roleId)
  properties: {
    roleDefinitionId: roleDefinitionId
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
