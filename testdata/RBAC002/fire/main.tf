data "azurerm_subscription" "primary" {}

resource "azurerm_role_definition" "ops" {
  name  = "ops"
  scope = data.azurerm_subscription.primary.id
  permissions {
    actions     = ["*"]
    not_actions = []
  }
}

resource "azurerm_role_definition" "granter" {
  name  = "granter"
  scope = azurerm_resource_group.rg.id
  permissions {
    actions = ["Microsoft.Authorization/*"]
  }
  assignable_scopes = ["/"]
}
