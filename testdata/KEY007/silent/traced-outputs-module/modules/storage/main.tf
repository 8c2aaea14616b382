variable "name" {
  type = string
}

resource "azurerm_storage_account" "this" {
  name                            = var.name
  resource_group_name             = "rg-app"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "ZRS"
  shared_access_key_enabled       = false
  default_to_oauth_authentication = true
}

output "host" {
  value = azurerm_storage_account.this.primary_blob_endpoint
}

output "account" {
  value = azurerm_storage_account.this.name
}
