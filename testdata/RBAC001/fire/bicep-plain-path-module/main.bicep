param principalId string

// A relative module path without `./` is a local file too.
module ownerAssignment 'modules/role.bicep' = {
  name: 'owner-assignment'
  params: {
    principalId: principalId
    roleId: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'
  }
}
