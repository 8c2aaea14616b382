// Values that resolve to the safe setting, or come from expressions that cannot be known, are
// not "not set".
param authConfig object = {
  activeDirectoryAuth: 'Enabled'
  passwordAuth: 'Disabled'
}

param extraProps object

param sharedKey bool = false

var baseProps = {
  disableLocalAuth: true
}

resource pg 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: 'pg'
  location: 'westeurope'
  properties: {
    authConfig: authConfig
  }
}

resource sa 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'sa'
  location: 'westeurope'
  kind: 'StorageV2'
  properties: {
    allowSharedKeyAccess: sharedKey
  }
}

resource sb 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: 'sb'
  location: 'westeurope'
  properties: shallowMerge([{ disableLocalAuth: false }, baseProps])
}

resource eh 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: 'eh'
  location: 'westeurope'
  properties: {
    ...extraProps
  }
}

resource ehUnion 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: 'eh2'
  location: 'westeurope'
  properties: union({ minimumTlsVersion: '1.2' }, extraProps)
}
