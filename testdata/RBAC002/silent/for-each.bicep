// Custom roles defined in a variable and created by a loop; none is broad.
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
      'Microsoft.Web/sites/*'
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
