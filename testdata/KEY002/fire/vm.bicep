resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'vm1'
  location: resourceGroup().location
  properties: {
    osProfile: {
      computerName: 'vm1'
      adminUsername: 'azureuser'
      adminPassword: 'Fake-Bicep-Vm-Pa55!'
    }
  }
}
