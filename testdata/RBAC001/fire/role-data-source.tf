variable "principal_id" {
  type = string
}

data "azurerm_role_definition" "contributor" {
  name = "Contributor"
}

resource "azurerm_resource_group" "rg" {
  name     = "fake-rg"
  location = "westeurope"
}

resource "azurerm_role_assignment" "contributor" {
  scope              = azurerm_resource_group.rg.id
  role_definition_id = data.azurerm_role_definition.contributor.id
  principal_id       = var.principal_id
}
