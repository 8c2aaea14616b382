resource kvDefault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-default'
  location: resourceGroup().location
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
  }
}

resource kvPolicies 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-policies'
  location: resourceGroup().location
  properties: {
    enableRbacAuthorization: true
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
  }
}
