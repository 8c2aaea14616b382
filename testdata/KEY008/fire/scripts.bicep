resource script 'Microsoft.Resources/deploymentScripts@2023-08-01' = {
  name: 'seed'
  location: resourceGroup().location
  kind: 'AzureCLI'
  properties: {
    azCliVersion: '2.52.0'
    retentionInterval: 'PT1H'
    scriptContent: '''
      export AZURE_STORAGE_KEY=Fake-Bicep-Storage-K3y-01
      az storage container create --name data
    '''
  }
}

resource ext 'Microsoft.Compute/virtualMachines/extensions@2023-03-01' = {
  name: 'vm/setup'
  location: resourceGroup().location
  properties: {
    publisher: 'Microsoft.Compute'
    type: 'CustomScriptExtension'
    typeHandlerVersion: '1.10'
    settings: {
      commandToExecute: 'powershell -File setup.ps1 -SqlPassword Fake-Bicep-Ps-Pa55'
    }
  }
}
