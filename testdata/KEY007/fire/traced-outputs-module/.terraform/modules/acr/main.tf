variable "name" {
  type = string
}

resource "azurerm_container_registry" "this" {
  name                = var.name
  resource_group_name = "rg-app"
  location            = "westeurope"
  sku                 = "Standard"
  admin_enabled       = true
}

output "login" {
  value = azurerm_container_registry.this.admin_username
}

output "pull" {
  value     = azurerm_container_registry.this.admin_password
  sensitive = true
}
