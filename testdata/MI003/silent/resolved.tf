# Attributes that resolve to the safe setting, or to a value not known statically, are not "not set".
variable "local_auth" {
  type    = bool
  default = false
}

variable "password_auth" {
  type = bool
}

resource "azurerm_servicebus_namespace" "sb" {
  name               = "sb"
  local_auth_enabled = var.local_auth
}

resource "azurerm_postgresql_flexible_server" "pg" {
  name = "pg"
  authentication {
    active_directory_auth_enabled = true
    password_auth_enabled         = var.password_auth
  }
}
