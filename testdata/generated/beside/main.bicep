param name string

resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {
  name: name
}

output key string = sa.listKeys().keys[0].value
