variable "name" {
  type = string
}

variable "admin_enabled" {
  type    = bool
  default = false
}

resource "azurerm_container_registry" "this" {
  name                = var.name
  resource_group_name = "rg-build"
  location            = "westeurope"
  sku                 = "Premium"
  admin_enabled       = var.admin_enabled
}
