param location string = resourceGroup().location
@secure()
param busConnectionString string
@secure()
param hubConnectionString string

resource bus 'Microsoft.Web/connections@2016-06-01' = {
  name: 'servicebus'
  location: location
  properties: {
    api: {
      id: subscriptionResourceId('Microsoft.Web/locations/managedApis', location, 'servicebus')
    }
    parameterValues: {
      connectionString: busConnectionString
    }
  }
}

resource hub 'Microsoft.Web/connections@2016-06-01' = {
  name: 'eventhubs'
  location: location
  properties: {
    api: {
      id: subscriptionResourceId('Microsoft.Web/locations/managedApis', location, 'eventhubs')
    }
    parameterValues: {
      connectionString: hubConnectionString
    }
  }
}
