// The module's default (off), and off passed explicitly.
module data './storage.bicep' = {
  name: 'data'
  params: {
    name: 'stdata'
  }
}

module logs './storage.bicep' = {
  name: 'logs'
  params: {
    name: 'stlogs'
    allowSharedKey: false
  }
}
