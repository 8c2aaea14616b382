param objectId string

resource kv 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv-child-policies'
  location: resourceGroup().location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
  }
}

resource policies 'Microsoft.KeyVault/vaults/accessPolicies@2023-07-01' = {
  parent: kv
  name: 'add'
  properties: {
    accessPolicies: [
      { tenantId: subscription().tenantId, objectId: objectId, permissions: { secrets: [ 'get' ] } }
    ]
  }
}
