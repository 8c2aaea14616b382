variable "name" {
  type = string
}

variable "shared_key" {
  type    = bool
  default = false
}

resource "azurerm_storage_account" "sa" {
  name                      = var.name
  resource_group_name       = "rg-app"
  location                  = "westeurope"
  account_tier              = "Standard"
  account_replication_type  = "LRS"
  shared_access_key_enabled = var.shared_key
}
