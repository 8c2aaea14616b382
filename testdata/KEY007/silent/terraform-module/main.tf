resource "azurerm_storage_account" "sa" {
  name                     = "stapp"
  resource_group_name      = "rg-app"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  shared_access_key_enabled = false
}

# Only the account's name: the module's default (no key) stays.
module "func" {
  source               = "./modules/func"
  name                 = "func-app"
  storage_account_name = azurerm_storage_account.sa.name
}
