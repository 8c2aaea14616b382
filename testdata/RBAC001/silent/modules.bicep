targetScope = 'subscription'

param principalId string

resource rg 'Microsoft.Resources/resourceGroups@2023-07-01' existing = {
  name: 'rg-app'
}

module readerRbac 'br/public:avm/res/authorization/role-assignment/rg-scope:0.1.0' = {
  scope: rg
  name: 'reader-rbac'
  params: {
    principalId: principalId
    roleDefinitionIdOrName: 'Reader'
  }
}

module vault 'br/public:avm/res/key-vault/vault:0.9.0' = {
  scope: rg
  name: 'vault'
  params: {
    name: 'kv-app'
    roleAssignments: [
      {
        principalId: principalId
        roleDefinitionIdOrName: 'Key Vault Secrets User'
      }
    ]
  }
}

// A module that is not a role-assignment module may take a role name for other purposes.
module other 'br/public:avm/res/network/virtual-network:0.5.0' = {
  scope: rg
  name: 'vnet'
  params: {
    name: 'vnet-app'
    roleDefinitionIdOrName: 'Owner'
  }
}
