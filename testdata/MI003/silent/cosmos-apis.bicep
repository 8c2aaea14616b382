// Cosmos DB for MongoDB (RU), Apache Cassandra and Apache Gremlin accept only their keys, and
// Entra sign-in for Table is in preview: turning local auth off is not asked of them.
resource mongo 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: 'cosmos-mongo'
  location: 'westeurope'
  kind: 'MongoDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [ { locationName: 'westeurope' } ]
  }
}

resource cassandra 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: 'cosmos-cassandra'
  location: 'westeurope'
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    capabilities: [ { name: 'EnableCassandra' } ]
    locations: [ { locationName: 'westeurope' } ]
  }
}

param api string = 'EnableGremlin'

resource gremlin 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: 'cosmos-gremlin'
  location: 'westeurope'
  properties: {
    databaseAccountOfferType: 'Standard'
    capabilities: [ { name: api } ]
    locations: [ { locationName: 'westeurope' } ]
  }
}

resource table 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: 'cosmos-table'
  location: 'westeurope'
  properties: {
    databaseAccountOfferType: 'Standard'
    capabilities: [ { name: 'EnableTable' } ]
    locations: [ { locationName: 'westeurope' } ]
  }
}
