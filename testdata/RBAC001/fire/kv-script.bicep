resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'kv'
}

resource scriptIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'script-id'
  location: 'westeurope'
}

resource appIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'app-id'
  location: 'westeurope'
}

resource certScript 'Microsoft.Resources/deploymentScripts@2023-08-01' = {
  name: 'cert'
  location: 'westeurope'
  kind: 'AzurePowerShell'
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${scriptIdentity.id}': {} } }
  properties: { azPowerShellVersion: '11.0', retentionInterval: 'P1D', scriptContent: 'New-Cert' }
}

resource scriptAdmin 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: kv
  name: guid('script', kv.id)
  properties: {
    principalId: scriptIdentity.properties.principalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '00482a5a-887f-4fb3-b363-3b7fe8e74483')
    principalType: 'ServicePrincipal'
  }
}

resource appAdmin 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: kv
  name: guid('app', kv.id)
  properties: {
    principalId: appIdentity.properties.principalId
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '00482a5a-887f-4fb3-b363-3b7fe8e74483')
    principalType: 'ServicePrincipal'
  }
}
