param principalId string

// A Bicep module may be an ARM template: it is read as one.
module owner './role.json' = {
  name: 'owner'
  params: {
    principalId: principalId
    roleId: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'
  }
}
