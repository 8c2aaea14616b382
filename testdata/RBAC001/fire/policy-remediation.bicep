// A deployIfNotExists policy whose remediation identity gets Contributor on the management group.
targetScope = 'managementGroup'

resource definition 'Microsoft.Authorization/policyDefinitions@2021-06-01' = {
  name: 'deploy-vm-extension'
  properties: {
    policyType: 'Custom'
    mode: 'Indexed'
    policyRule: {
      if: {
        field: 'type'
        equals: 'Microsoft.Compute/virtualMachines'
      }
      then: {
        effect: 'deployIfNotExists'
        details: {
          type: 'Microsoft.Compute/virtualMachines/extensions'
          roleDefinitionIds: [
            '/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c'
          ]
        }
      }
    }
  }
}
