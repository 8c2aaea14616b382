variable "name" {
  type = string
}

variable "storage_account_name" {
  type = string
}

variable "storage_access_key" {
  type      = string
  sensitive = true
  default   = null
}

resource "azurerm_linux_function_app" "func" {
  name                       = var.name
  resource_group_name        = "rg-app"
  location                   = "westeurope"
  service_plan_id            = "plan"
  storage_account_name       = var.storage_account_name
  storage_account_access_key = var.storage_access_key

  identity {
    type = "SystemAssigned"
  }

  site_config {}
}
