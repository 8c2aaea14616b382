resource vhdStore 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'vhdstore'
  location: 'westeurope'
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
}

resource loginStore 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'loginstore'
  location: 'westeurope'
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
}

resource copyVhd 'Microsoft.Resources/deploymentScripts@2020-10-01' = {
  name: 'copy-vhd'
  location: 'westeurope'
  kind: 'AzurePowerShell'
  properties: {
    azPowerShellVersion: '11.0'
    retentionInterval: 'PT1H'
    arguments: '-StorageAccountName ${vhdStore.name}'
    scriptContent: loadTextContent('copy.ps1')
  }
}

resource upload 'Microsoft.Resources/deploymentScripts@2020-10-01' = {
  name: 'upload'
  location: 'westeurope'
  kind: 'AzurePowerShell'
  properties: {
    azPowerShellVersion: '11.0'
    retentionInterval: 'PT1H'
    arguments: '-StorageAccountName ${loginStore.name}'
    scriptContent: 'param($StorageAccountName) $ctx = New-AzStorageContext -StorageAccountName $StorageAccountName -UseConnectedAccount'
  }
}
