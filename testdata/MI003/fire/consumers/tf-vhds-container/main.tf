resource "azurerm_storage_account" "sa" {
  name                     = "deadletters"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_storage_container" "vhds" {
  name               = "vhds"
  storage_account_id = azurerm_storage_account.sa.id
}
