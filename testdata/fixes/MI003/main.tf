resource "azurerm_storage_account" "sa" {
  name         = "sa"
  account_tier = "Standard"
  shared_access_key_enabled = false
}

resource "azurerm_servicebus_namespace" "sb" {
  name               = "sb"
  local_auth_enabled = false
}

resource "azurerm_container_registry" "acr" {
  name          = "acr"
  admin_enabled = false
}

resource "azurerm_postgresql_flexible_server" "pg" {
  name = "pg"
  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = true
  }
}
