// PIM requests grant a role like an assignment does: eligible Contributor, active RBAC
// Administrator, at the management group this file deploys to.
targetScope = 'managementGroup'

param principalId string

resource eligible 'Microsoft.Authorization/roleEligibilityScheduleRequests@2022-04-01-preview' = {
  name: guid(managementGroup().id, principalId, 'contributor')
  properties: {
    principalId: principalId
    roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c'
    requestType: 'AdminAssign'
    scheduleInfo: {
      expiration: {
        type: 'NoExpiration'
      }
    }
  }
}

resource active 'Microsoft.Authorization/roleAssignmentScheduleRequests@2022-04-01-preview' = {
  name: guid(managementGroup().id, principalId, 'rbac-admin')
  properties: {
    principalId: principalId
    roleDefinitionId: '/providers/Microsoft.Authorization/roleDefinitions/f58310d9-a9f6-439a-9e8d-f62e7b41a168'
    requestType: 'AdminAssign'
  }
}
