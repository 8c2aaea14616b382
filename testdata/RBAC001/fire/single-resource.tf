# Owner on one storage account: a note (it can grant access to others).
resource "azurerm_storage_account" "sa" {
  name                     = "sadata"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_role_assignment" "owner" {
  scope                = azurerm_storage_account.sa.id
  role_definition_name = "Owner"
  principal_id         = var.principal_id
}
