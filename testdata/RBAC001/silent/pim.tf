data "azurerm_subscription" "primary" {}

resource "azurerm_pim_eligible_role_assignment" "reader" {
  scope              = data.azurerm_subscription.primary.id
  role_definition_id = "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"
  principal_id       = var.admin_group_id
}

resource "azurerm_pim_active_role_assignment" "blob" {
  scope              = azurerm_storage_account.sa.id
  role_definition_id = "/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe"
  principal_id       = var.ops_group_id
}

resource "azurerm_storage_account" "sa" {
  name = "sa"
}
