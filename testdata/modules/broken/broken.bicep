param roleId string
resource ra 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(roleId
  properties: {
