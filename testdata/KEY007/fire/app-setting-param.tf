variable "db_password" {
  type      = string
  sensitive = true
}

resource "azurerm_linux_web_app" "app" {
  name = "app"
  identity {
    type = "SystemAssigned"
  }
  app_settings = {
    DB_PASSWORD = var.db_password
  }
}
