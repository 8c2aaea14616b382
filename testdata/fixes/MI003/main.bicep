resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: 'fakeacct'
  location: 'westeurope'
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false // on
    minimumTlsVersion: 'TLS1_2'
  }
}

resource sb 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
	name: 'fakens'
	location: 'westeurope'
	properties: {
		disableLocalAuth: true
	}
}

resource acr 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'fakeacr'
  location: 'westeurope'
  sku: { name: 'Basic' }
  properties: {
    adminUserEnabled: false
  }
}
