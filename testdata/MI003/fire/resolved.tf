# MI003 judges the value an attribute resolves to: variable defaults and locals.
variable "local_auth" {
  type    = bool
  default = true
}

locals {
  password_auth = true
}

resource "azurerm_servicebus_namespace" "sb" {
  name               = "sb"
  local_auth_enabled = var.local_auth
}

resource "azurerm_postgresql_flexible_server" "pg" {
  name = "pg"
  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = local.password_auth
  }
}
