// Storage accounts created by a registry module that is not in the local cache. The first is the
// storage of a deployment script (a module call and a resource): the script service mounts it with
// the account key, so keeping key access on is a note. The second is used by nothing: a warning.
module scriptStorage 'br/public:avm/res/storage/storage-account:0.14.0' = {
  name: 'script-storage'
  params: {
    name: 'stscript${uniqueString(resourceGroup().id)}'
    allowSharedKeyAccess: true
  }
}

module importImage 'br/public:avm/res/resources/deployment-script:0.5.0' = {
  name: 'import-image'
  params: {
    name: 'import-image'
    kind: 'AzureCLI'
    storageAccountResourceId: scriptStorage.outputs.resourceId
  }
}

module otherStorage 'br/public:avm/res/storage/storage-account:0.14.0' = {
  name: 'other-storage'
  params: {
    name: 'stother${uniqueString(resourceGroup().id)}'
    allowSharedKeyAccess: true
  }
}

module resourceScriptStorage 'br/public:avm/res/storage/storage-account:0.14.0' = {
  name: 'resource-script-storage'
  params: {
    name: 'stres${uniqueString(resourceGroup().id)}'
    allowSharedKeyAccess: true
  }
}

resource seed 'Microsoft.Resources/deploymentScripts@2023-08-01' = {
  name: 'seed'
  location: resourceGroup().location
  kind: 'AzurePowerShell'
  properties: {
    azPowerShellVersion: '11.0'
    retentionInterval: 'PT1H'
    storageAccountSettings: {
      storageAccountName: resourceScriptStorage.outputs.name
    }
    scriptContent: 'Write-Output done'
  }
}
