variable "role" {
  type    = string
  default = "Reader"
}

locals {
  role_ids = {
    Owner       = "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
    Contributor = "/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"
    Reader      = "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7"
  }
}

resource "azurerm_role_assignment" "ops" {
  scope              = azurerm_resource_group.rg.id
  role_definition_id = local.role_ids[var.role]
  principal_id       = var.principal_id
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-ops"
  location = "westeurope"
}
