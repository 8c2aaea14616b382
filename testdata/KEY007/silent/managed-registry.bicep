// A managed-SKU registry keeps its storage itself: no storage account, no key handed on.
resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'managedreg'
  location: resourceGroup().location
  sku: { name: 'Standard' }
  properties: {
    adminUserEnabled: false
  }
}
