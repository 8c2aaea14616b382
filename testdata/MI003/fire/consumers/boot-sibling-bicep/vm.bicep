param diagName string

resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: 'vm'
  location: resourceGroup().location
  properties: {
    hardwareProfile: { vmSize: 'Standard_B2s' }
    diagnosticsProfile: {
      bootDiagnostics: {
        enabled: true
        storageUri: 'https://${diagName}.blob.${environment().suffixes.storage}'
      }
    }
  }
}
