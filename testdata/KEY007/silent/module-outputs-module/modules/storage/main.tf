variable "name" {
  type = string
}

resource "azurerm_storage_account" "this" {
  name                     = var.name
  resource_group_name      = "rg-app"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

output "name" {
  value = azurerm_storage_account.this.name
}

# A public endpoint under a vague name: traced to the module's resource, not a key.
output "storage" {
  value = azurerm_storage_account.this.primary_blob_endpoint
}
