data "azurerm_subscription" "primary" {}

variable "role" {
  type = string
}

resource "azurerm_role_assignment" "reader" {
  scope                = data.azurerm_subscription.primary.id
  role_definition_name = "Reader"
  principal_id         = var.principal_id
}

resource "azurerm_role_assignment" "blob" {
  scope                = azurerm_storage_account.sa.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_linux_web_app.app.identity[0].principal_id
}

resource "azurerm_role_assignment" "unknown" {
  scope                = data.azurerm_subscription.primary.id
  role_definition_name = var.role
  principal_id         = var.principal_id
}
