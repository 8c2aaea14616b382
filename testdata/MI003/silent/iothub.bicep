param disableLocalAuth bool = true

resource hub 'Microsoft.Devices/IotHubs@2023-06-30' = {
  name: 'hub-telemetry'
  location: resourceGroup().location
  sku: {
    name: 'S1'
    capacity: 1
  }
  properties: {
    disableLocalAuth: disableLocalAuth
  }
}
