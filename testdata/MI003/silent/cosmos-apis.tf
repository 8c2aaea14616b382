# Cosmos DB for MongoDB and for Apache Cassandra accept only their keys.
resource "azurerm_cosmosdb_account" "mongo" {
  name                = "cosmos-mongo"
  location            = "westeurope"
  resource_group_name = "rg"
  offer_type          = "Standard"
  kind                = "MongoDB"
  consistency_policy {
    consistency_level = "Session"
  }
}

resource "azurerm_cosmosdb_account" "cassandra" {
  name                = "cosmos-cassandra"
  location            = "westeurope"
  resource_group_name = "rg"
  offer_type          = "Standard"
  capabilities {
    name = "EnableCassandra"
  }
  consistency_policy {
    consistency_level = "Session"
  }
}
