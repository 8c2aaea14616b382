// Registry modules that are not in the local module cache: the switches passed to them are
// judged by their names and values.
param keepKeys bool = true

module search 'br/public:avm/res/search/search-service:0.9.0' = {
  name: 'search'
  params: {
    name: 'srch-orders'
    disableLocalAuth: false
  }
}

module files 'br/public:avm/res/storage/storage-account:0.14.0' = {
  name: 'files'
  params: {
    name: 'storders'
    allowSharedKeyAccess: keepKeys
  }
}
