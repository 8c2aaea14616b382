data "azurerm_subscription" "current" {}

resource "azurerm_resource_group" "rg" {
  name     = "rg-app"
  location = "westeurope"
}

locals {
  admin_role = "Owner"
}

module "owner" {
  source       = "./modules/role"
  principal_id = "00000000-0000-0000-0000-000000000000"
  scope        = data.azurerm_subscription.current.id
  role         = local.admin_role
}

module "contributor" {
  source       = "./modules/role"
  principal_id = "00000000-0000-0000-0000-000000000000"
  scope        = azurerm_resource_group.rg.id
  role         = "Contributor"
}
