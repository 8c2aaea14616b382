param rbac bool = true

resource kvRbac 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-rbac'
  location: resourceGroup().location
  properties: {
    enableRbacAuthorization: true
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
  }
}

resource kvParam 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-param'
  location: resourceGroup().location
  properties: {
    enableRbacAuthorization: rbac
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
  }
}

resource existingVault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'kv-elsewhere'
}
