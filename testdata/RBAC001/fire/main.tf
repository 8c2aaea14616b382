data "azurerm_subscription" "primary" {}

resource "azurerm_role_assignment" "app_sub" {
  scope                = data.azurerm_subscription.primary.id
  role_definition_name = "Contributor"
  principal_id         = azurerm_linux_web_app.app.identity[0].principal_id
}

resource "azurerm_role_assignment" "uai_rg" {
  scope              = azurerm_resource_group.rg.id
  role_definition_id = "${data.azurerm_subscription.primary.id}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
  principal_id       = azurerm_user_assigned_identity.app.principal_id
}

data "azurerm_role_definition" "kvc" {
  name = "Key Vault Contributor"
}

resource "azurerm_role_assignment" "kv" {
  scope              = azurerm_key_vault.kv.id
  role_definition_id = data.azurerm_role_definition.kvc.id
  principal_id       = var.principal_id
}

locals {
  owner = "Owner"
}

resource "azurerm_role_assignment" "literal" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = local.owner
  principal_id         = "11111111-1111-1111-1111-111111111111"
}

resource "azurerm_key_vault" "kv" {
  name = "kv"
}

resource "azurerm_resource_group" "rg" {
  name     = "rg"
  location = "westeurope"
}
