resource token 'Microsoft.ApiManagement/service/namedValues@2022-08-01' = {
  name: 'apim/backend-token'
  properties: {
    displayName: 'backend-token'
    secret: true
    value: 'Fake-Backend-T0ken-0003'
  }
}
