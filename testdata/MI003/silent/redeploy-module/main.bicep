param searchName string = 'srch${uniqueString(resourceGroup().id)}'

// Deployed bare first (it takes long), configured by the module below, which turns keys off.
resource searchBare 'Microsoft.Search/searchServices@2023-11-01' = {
  name: searchName
  location: resourceGroup().location
  sku: { name: 'basic' }
}

module searchUpdate './search-service.bicep' = {
  name: 'search-update'
  params: {
    name: searchName
    disableLocalAuth: true
    managedIdentities: { systemAssigned: true }
  }
  dependsOn: [searchBare]
}
