// A digest-shaped value under a name that holds no key written as a name/value pair.
resource app 'Microsoft.Web/sites@2022-09-01' = {
  name: 'func-app'
  location: resourceGroup().location
  kind: 'functionapp'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    siteConfig: {
      appSettings: [
        {
          name: 'BuildIntegrity'
          value: '9Y2SZCUhgqqBvs5dfnr7JCjZ1Rrhswb0gUasdEgyyJoTK1frTYcaWAfnTbHUIZ3g77QGuFCHWve2H39Xavouqw=='
        }
      ]
    }
  }
}
