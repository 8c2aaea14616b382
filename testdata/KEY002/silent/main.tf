provider "azurerm" {
  features {}
  use_msi = true
}

variable "sql_admin_password" {
  type      = string
  sensitive = true
}

data "azurerm_key_vault_secret" "vm_admin" {
  name         = "vm-admin-password"
  key_vault_id = var.key_vault_id
}

resource "random_password" "db" {
  length  = 24
  special = true
}

resource "azurerm_mssql_server" "sql" {
  name                         = "sql-keyless-demo"
  resource_group_name          = "rg-demo"
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "sqladmin"
  administrator_login_password = var.sql_admin_password
}

resource "azurerm_linux_virtual_machine" "vm" {
  name                            = "vm-demo"
  admin_username                  = "azureuser"
  admin_password                  = data.azurerm_key_vault_secret.vm_admin.value
  disable_password_authentication = false
}

resource "azurerm_key_vault_secret" "db" {
  name         = "db-password"
  value        = random_password.db.result
  key_vault_id = var.key_vault_id
}

resource "azurerm_linux_web_app" "app" {
  name = "app-demo"
  app_settings = {
    "DB_PASSWORD"           = "@Microsoft.KeyVault(SecretUri=https://kv-demo.vault.azure.net/secrets/db-password/)"
    "API_TOKEN"             = "${random_password.db.result}"
    "PasswordLength"        = "24"
    "ClientSecretName"      = "app-client-secret"
    "EnableSecretRotation"  = "true"
  }
}
