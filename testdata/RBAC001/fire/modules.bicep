targetScope = 'subscription'

param principalId string

resource rg 'Microsoft.Resources/resourceGroups@2023-07-01' existing = {
  name: 'rg-build'
}

// The role-assignment module at resource-group scope.
module buildRbac 'br/public:avm/res/authorization/role-assignment/rg-scope:0.1.0' = {
  scope: rg
  name: 'build-rbac'
  params: {
    principalId: principalId
    roleDefinitionIdOrName: 'Contributor'
    principalType: 'ServicePrincipal'
  }
}

// `roleAssignments` on a resource module: an assignment on that one resource.
module vault 'br/public:avm/res/key-vault/vault:0.9.0' = {
  scope: rg
  name: 'vault'
  params: {
    name: 'kv-build'
    roleAssignments: [
      {
        principalId: principalId
        roleDefinitionIdOrName: 'Owner'
      }
      {
        principalId: principalId
        roleDefinitionIdOrName: 'Key Vault Secrets User'
      }
    ]
  }
}

var storageRoles = [
  {
    principalId: principalId
    roleDefinitionIdOrName: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'
  }
]

module storage './modules/storage.bicep' = {
  scope: rg
  name: 'storage'
  params: {
    roleAssignments: storageRoles
  }
}

// The pattern module at subscription scope.
module subRbac 'br/public:avm/ptn/authorization/role-assignment:0.2.0' = {
  name: 'sub-rbac'
  params: {
    principalId: principalId
    roleDefinitionIdOrName: 'User Access Administrator'
    subscriptionId: subscription().subscriptionId
  }
}
