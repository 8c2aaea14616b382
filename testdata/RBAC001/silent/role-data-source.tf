variable "principal_id" {
  type = string
}

data "azurerm_role_definition" "reader" {
  name = "Reader"
}

resource "azurerm_resource_group" "rg" {
  name     = "fake-rg"
  location = "westeurope"
}

resource "azurerm_role_assignment" "reader" {
  scope              = azurerm_resource_group.rg.id
  role_definition_id = data.azurerm_role_definition.reader.id
  principal_id       = var.principal_id
}
