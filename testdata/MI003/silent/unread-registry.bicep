// Switches turned off, or a value the caller decides: nothing to judge.
param keepKeys bool

module search 'br/public:avm/res/search/search-service:0.9.0' = {
  name: 'search'
  params: {
    name: 'srch-orders'
    disableLocalAuth: true
  }
}

module files 'br/public:avm/res/storage/storage-account:0.14.0' = {
  name: 'files'
  params: {
    name: 'storders'
    allowSharedKeyAccess: keepKeys
    publicNetworkAccess: 'Disabled'
  }
}
