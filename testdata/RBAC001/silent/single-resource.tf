# Contributor on one storage account: it writes that account, which is what deploying needs.
resource "azurerm_storage_account" "sa" {
  name                     = "sadata"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_role_assignment" "contributor" {
  scope                = azurerm_storage_account.sa.id
  role_definition_name = "Contributor"
  principal_id         = var.principal_id
}
