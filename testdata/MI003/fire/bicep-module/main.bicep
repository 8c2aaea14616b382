param legacyClients bool = true

// Shared key access turned on by the caller: reported at the argument.
module data './storage.bicep' = {
  name: 'data'
  params: {
    name: 'stdata'
    allowSharedKey: true
  }
}

// Through a parameter's default.
module logs './storage.bicep' = {
  name: 'logs'
  params: {
    name: 'stlogs'
    allowSharedKey: legacyClients
  }
}
