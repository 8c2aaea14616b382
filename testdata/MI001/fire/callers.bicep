param location string = resourceGroup().location

resource quietApp 'Microsoft.Web/sites@2022-09-01' = {
  name: 'quiet-app'
  location: location
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'WEBSITE_NODE_DEFAULT_VERSION', value: '~18' }
      ]
    }
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'insights'
  location: location
  kind: 'web'
  properties: { Application_Type: 'web' }
}

resource monitoredApp 'Microsoft.Web/sites@2022-09-01' = {
  name: 'monitored-app'
  location: location
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights.properties.ConnectionString }
      ]
    }
  }
}

resource quietApim 'Microsoft.ApiManagement/service@2022-08-01' = {
  name: 'quiet-apim'
  location: location
  sku: { name: 'Developer', capacity: 1 }
  properties: { publisherEmail: 'a@example.com', publisherName: 'Example' }
}

resource busGroup 'Microsoft.ContainerInstance/containerGroups@2023-05-01' = {
  name: 'bus-aci'
  location: location
  properties: {
    osType: 'Linux'
    containers: [
      {
        name: 'worker'
        properties: {
          image: 'example/worker:1'
          resources: { requests: { cpu: 1, memoryInGB: 1 } }
          environmentVariables: [
            { name: 'BUS', value: 'orders.servicebus.windows.net' }
          ]
        }
      }
    ]
  }
}
