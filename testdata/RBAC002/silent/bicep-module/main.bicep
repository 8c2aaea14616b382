targetScope = 'subscription'

module reader './role.bicep' = {
  name: 'reader'
  params: {
    roleName: 'reader'
  }
}

module vmReader './role.bicep' = {
  name: 'vm-reader'
  params: {
    roleName: 'vm-reader'
    actions: [
      'Microsoft.Compute/virtualMachines/read'
    ]
  }
}
