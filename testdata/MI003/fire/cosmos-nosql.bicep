// Cosmos DB for NoSQL: Entra sign-in is generally available, so local auth left on is reported
// (also next to a capability that picks no other API).
resource nosql 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: 'cosmos-nosql'
  location: 'westeurope'
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    capabilities: [ { name: 'EnableServerless' } ]
    locations: [ { locationName: 'westeurope' } ]
  }
}
