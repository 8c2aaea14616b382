param adminUser string
@secure()
param adminPassword string

resource sql 'Microsoft.Sql/servers@2021-11-01' = {
  name: 'rdsbrokersql'
  location: resourceGroup().location
  properties: {
    administratorLogin: adminUser
    administratorLoginPassword: adminPassword
  }
}

resource ha 'Microsoft.Compute/virtualMachines/extensions@2023-03-01' = {
  name: 'broker1/ha'
  location: resourceGroup().location
  properties: {
    publisher: 'Microsoft.Powershell'
    type: 'DSC'
    typeHandlerVersion: '2.77'
    settings: {
      configurationFunction: 'Configuration.ps1\\ConnectionBrokerHighAvailability'
      properties: {
        MainConnectionBroker: 'broker1'
        AzureSqlServer: sql.properties.fullyQualifiedDomainName
      }
    }
  }
}
