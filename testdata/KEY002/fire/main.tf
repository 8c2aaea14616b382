provider "azurerm" {
  features {}
  tenant_id       = "11111111-2222-3333-4444-555555555555"
  client_id       = "22222222-3333-4444-5555-666666666666"
  client_secret   = "Fake~8Q~tfcl1ent.s3cret-valu3"
  subscription_id = "33333333-4444-5555-6666-777777777777"
}

resource "azurerm_mssql_server" "sql" {
  name                         = "sql-keyless-demo"
  resource_group_name          = "rg-demo"
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "sqladmin"
  administrator_login_password = "Fake-Sql-Pa55word!"
}

resource "azurerm_key_vault_secret" "api" {
  name         = "api-key"
  value        = "Fake-Api-K3y-Value-0001"
  key_vault_id = "/subscriptions/33333333-4444-5555-6666-777777777777/resourceGroups/rg-demo/providers/Microsoft.KeyVault/vaults/kv-demo"
}
