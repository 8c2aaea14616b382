module broken './broken.bicep' = {
  name: 'broken'
  params: {
    roleId: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'
  }
}

module missing './missing.bicep' = {
  name: 'missing'
  params: {
    roleId: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'
  }
}
