resource automation 'Microsoft.Automation/automationAccounts@2015-10-31' = {
  name: 'automation'
  location: 'westeurope'
  properties: {
    sku: { name: 'Basic' }
  }
}

resource web 'Microsoft.Web/sites@2022-09-01' = {
  name: 'web'
  location: 'westeurope'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: 'plan'
  }
}
