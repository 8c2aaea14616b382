@secure()
param adminPassword string

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: 'ai'
}

resource customDomain 'Microsoft.Cdn/profiles/customDomains@2023-05-01' existing = {
  name: 'fd/www'
}

module monitoring 'monitoring.bicep' = {
  name: 'monitoring'
}

// a secure parameter passed on is the caller's own value
@secure()
output passedOn string = adminPassword

// Application Insights connection strings and DNS validation tokens are not secrets
output applicationInsightsConnectionString string = appInsights.properties.ConnectionString
output monitoringConnectionString string = monitoring.outputs.applicationInsightsConnectionString
output validationToken string = customDomain.properties.validationProperties.validationToken
