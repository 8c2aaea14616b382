resource "azurerm_storage_account" "sa" {
  name                      = "sa"
  shared_access_key_enabled = false
}

resource "azurerm_cosmosdb_account" "db" {
  name                          = "db"
  local_authentication_disabled = true
}

resource "azurerm_container_registry" "acr" {
  name = "acr"
}

resource "azurerm_servicebus_namespace" "sb" {
  name               = "sb"
  local_auth_enabled = var.local_auth
}

data "azurerm_storage_account" "existing" {
  name                = "existing"
  resource_group_name = "rg"
}
