// MI003 judges the value a property resolves to: parameter defaults, merges and spreads.
param authConfig object = {
  activeDirectoryAuth: 'Enabled'
  passwordAuth: 'Enabled'
}

param sharedKey bool = true

var baseProps = {
  disableLocalAuth: false
}

var tlsProps = {
  minimumTlsVersion: '1.2'
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
  properties: union(baseProps, tlsProps)
}

resource eh 'Microsoft.EventHub/namespaces@2024-01-01' = {
  name: 'eh'
  location: 'westeurope'
  properties: {
    ...baseProps
  }
}
