variable "actions" {
  type    = list(string)
  default = ["*"]
}

data "azurerm_subscription" "current" {}

resource "azurerm_role_definition" "custom" {
  name  = "custom"
  scope = data.azurerm_subscription.current.id
  permissions {
    actions = var.actions
  }
  assignable_scopes = [data.azurerm_subscription.current.id]
}
