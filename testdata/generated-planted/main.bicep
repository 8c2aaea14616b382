@secure()
param adminPassword string

@secure()
param sessionPassword string = uniqueString(resourceGroup().id)

var smtpPassword = 'Fake-Gen-Shared-Pa55'

resource site 'Microsoft.Web/sites@2022-09-01' = {
  name: 'app'
  location: 'westeurope'
  properties: {
    siteConfig: {
      appSettings: [
        { name: 'SMTP_PASSWORD', value: smtpPassword }
      ]
    }
  }
}
