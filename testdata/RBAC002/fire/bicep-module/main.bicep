targetScope = 'subscription'

module operator './role.bicep' = {
  name: 'operator'
  params: {
    roleName: 'operator'
    actions: [
      'Microsoft.Compute/virtualMachines/*'
      '*/write'
    ]
  }
}
