resource "azurerm_storage_account" "sa" {
  name                     = "stapp"
  resource_group_name      = "rg-app"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

# The account key reaches the module's Function App: reported here, at the argument.
module "func" {
  source               = "./modules/func"
  name                 = "func-app"
  storage_account_name = azurerm_storage_account.sa.name
  storage_access_key   = azurerm_storage_account.sa.primary_access_key
}
