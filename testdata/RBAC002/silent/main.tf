data "azurerm_subscription" "primary" {}

resource "azurerm_role_definition" "vm" {
  name  = "vm-operator"
  scope = data.azurerm_subscription.primary.id
  permissions {
    actions = ["Microsoft.Compute/virtualMachines/start/action", "*/read"]
  }
}

resource "azurerm_role_definition" "rg_admin" {
  name  = "rg-admin"
  scope = azurerm_resource_group.rg.id
  permissions {
    actions = ["*"]
  }
  assignable_scopes = [azurerm_resource_group.rg.id]
}
