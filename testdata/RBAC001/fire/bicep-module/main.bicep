param principalId string

var roles = {
  owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'
}

// Owner, passed through a variable: reported at the argument.
module ownerAssignment './role.bicep' = {
  name: 'owner-assignment'
  params: {
    principalId: principalId
    roleId: roles.owner
  }
}

// Contributor, written in the call, with a scope.
module contributorAssignment './role.bicep' = {
  name: 'contributor-assignment'
  scope: resourceGroup('other-rg')
  params: {
    principalId: principalId
    roleId: 'b24988ac-6180-42a0-ab88-20f7382dd24c'
  }
}
