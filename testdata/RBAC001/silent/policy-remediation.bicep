// The remediation identity gets Virtual Machine Contributor only.
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
            '/providers/Microsoft.Authorization/roleDefinitions/9980e02c-c2be-4d73-94e8-173b1dc7cf3c'
          ]
        }
      }
    }
  }
}
