// Azure Lighthouse with read-only access for the managing tenant.
targetScope = 'subscription'

param managedByTenantId string
param opsGroupId string

resource definition 'Microsoft.ManagedServices/registrationDefinitions@2022-10-01' = {
  name: guid('msp-readers')
  properties: {
    registrationDefinitionName: 'MSP monitoring'
    managedByTenantId: managedByTenantId
    authorizations: [
      {
        principalId: opsGroupId
        principalIdDisplayName: 'Monitoring'
        roleDefinitionId: 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
      }
    ]
  }
}
