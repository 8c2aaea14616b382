// Azure Lighthouse: a principal of another tenant gets Contributor on this subscription.
targetScope = 'subscription'

param managedByTenantId string
param opsGroupId string

var contributor = 'b24988ac-6180-42a0-ab88-20f7382dd24c'

resource definition 'Microsoft.ManagedServices/registrationDefinitions@2022-10-01' = {
  name: guid('msp-offer')
  properties: {
    registrationDefinitionName: 'MSP operations'
    managedByTenantId: managedByTenantId
    authorizations: [
      {
        principalId: opsGroupId
        principalIdDisplayName: 'Operations'
        roleDefinitionId: contributor
      }
    ]
  }
}

resource assignment 'Microsoft.ManagedServices/registrationAssignments@2022-10-01' = {
  name: guid('msp-assignment')
  properties: {
    registrationDefinitionId: definition.id
  }
}
