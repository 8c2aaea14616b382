variable "name" {
  type = string
}

resource "azurerm_storage_account" "this" {
  name                     = var.name
  resource_group_name      = "rg-app"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "ZRS"
}

locals {
  conn = azurerm_storage_account.this.primary_connection_string
}

# Named for what it is for, not for what it holds.
output "host" {
  value     = local.conn
  sensitive = true
}

output "auth" {
  value     = azurerm_storage_account.this.secondary_access_key
  sensitive = true
}
