// PIM requests for roles that cannot write or grant access: Reader, and a data-plane role.
targetScope = 'managementGroup'

param principalId string

resource eligible 'Microsoft.Authorization/roleEligibilityScheduleRequests@2022-04-01-preview' = {
  name: guid(managementGroup().id, principalId, 'reader')
  properties: {
    principalId: principalId
    roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7'
    requestType: 'AdminAssign'
  }
}
