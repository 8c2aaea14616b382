param vmName string
param adminUsername string
@secure()
param adminPassword string

resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' existing = {
  name: vmName
}

// The secret goes in protectedSettings; the public settings hold only the user name.
resource setup 'Microsoft.Compute/virtualMachines/extensions@2023-03-01' = {
  parent: vm
  name: 'setup'
  location: resourceGroup().location
  properties: {
    publisher: 'Microsoft.Azure.Extensions'
    type: 'CustomScript'
    typeHandlerVersion: '2.1'
    settings: {
      fileUris: [ 'https://example.org/setup.sh' ]
    }
    protectedSettings: {
      commandToExecute: 'bash setup.sh ${adminUsername} ${adminPassword}'
    }
  }
}

@secure()
param adminSSHKey string

// A public SSH key declared secure is no secret.
resource keys 'Microsoft.Compute/virtualMachines/extensions@2023-03-01' = {
  parent: vm
  name: 'keys'
  location: resourceGroup().location
  properties: {
    publisher: 'Microsoft.Azure.Extensions'
    type: 'CustomScript'
    typeHandlerVersion: '2.1'
    settings: {
      adminSSHKey: adminSSHKey
    }
  }
}
