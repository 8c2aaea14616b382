// A local module: a custom role with the actions the caller lists, assignable at the subscription.
targetScope = 'subscription'

param roleName string
param actions array = [
  'Microsoft.Storage/storageAccounts/read'
]

resource def 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, roleName)
  properties: {
    roleName: roleName
    permissions: [
      {
        actions: actions
      }
    ]
    assignableScopes: [
      subscription().id
    ]
  }
}
