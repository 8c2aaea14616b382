@secure()
param adminPassword string

resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'vm'
  location: resourceGroup().location
  properties: {
    osProfile: {
      computerName: 'vm'
      adminUsername: 'azureuser'
      adminPassword: adminPassword
      linuxConfiguration: {
        provisionVMAgent: true
        disablePasswordAuthentication: false
      }
    }
  }
}
