// A module that calls itself (invalid, but it must not hang the scan).
param roleId string = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'

module again './main.bicep' = {
  name: 'again'
  params: {
    roleId: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635'
  }
}
