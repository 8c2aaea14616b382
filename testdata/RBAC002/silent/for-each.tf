data "azurerm_subscription" "primary" {}

locals {
  custom_roles = {
    network = {
      name    = "Network Operations"
      actions = ["*/read", "Microsoft.Network/*"]
    }
    owners = {
      name    = "Application Owners"
      actions = ["Microsoft.Web/sites/*"]
    }
  }
}

resource "azurerm_role_definition" "custom" {
  for_each = local.custom_roles
  name     = each.value.name
  scope    = data.azurerm_subscription.primary.id

  permissions {
    actions = each.value.actions
  }
}
