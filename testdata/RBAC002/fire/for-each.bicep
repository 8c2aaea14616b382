// Custom roles defined in a variable and created by a loop; the broad one is reported.
targetScope = 'managementGroup'

var customRoles = [
  {
    roleName: 'Network Operations'
    actions: [
      '*/read'
      'Microsoft.Network/*'
    ]
  }
  {
    roleName: 'Application Owners'
    actions: [
      '*'
    ]
  }
]

resource roles 'Microsoft.Authorization/roleDefinitions@2022-04-01' = [for role in customRoles: {
  name: guid(role.roleName, managementGroup().id)
  properties: {
    roleName: role.roleName
    permissions: [
      {
        actions: role.actions
      }
    ]
    assignableScopes: [
      managementGroup().id
    ]
  }
}]
