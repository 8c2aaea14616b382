param sshPublicKey string

resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'vm'
  location: resourceGroup().location
  properties: {
    osProfile: {
      computerName: 'vm'
      adminUsername: 'azureuser'
      linuxConfiguration: {
        disablePasswordAuthentication: true
        ssh: {
          publicKeys: [
            { path: '/home/azureuser/.ssh/authorized_keys', keyData: sshPublicKey }
          ]
        }
      }
    }
  }
}
