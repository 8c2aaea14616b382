resource kvDefault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-default'
  location: resourceGroup().location
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
  }
}

resource kvPolicies 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-policies'
  location: resourceGroup().location
  properties: {
    enableRbacAuthorization: false
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
  }
}
