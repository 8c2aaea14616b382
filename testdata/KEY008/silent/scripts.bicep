@secure()
param sqlPassword string

resource script 'Microsoft.Resources/deploymentScripts@2023-08-01' = {
  name: 'seed'
  location: resourceGroup().location
  kind: 'AzureCLI'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    azCliVersion: '2.52.0'
    retentionInterval: 'PT1H'
    scriptContent: '''
      export AZURE_STORAGE_AUTH_MODE=login
      export STORAGE_KEY=$STORAGE_KEY_FROM_ENV
      az storage container create --name data --auth-mode login
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
    protectedSettings: {
      commandToExecute: 'powershell -File setup.ps1 -SqlPassword ${sqlPassword}'
    }
  }
}
