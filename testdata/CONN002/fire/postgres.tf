variable "db_password" {
  type      = string
  sensitive = true
}

resource "azurerm_linux_web_app" "app" {
  app_settings = {
    "DB" = "Host=pg-demo.postgres.database.azure.com;Database=orders;Username=pgadmin;Password=${var.db_password};Ssl Mode=Require"
  }
  connection_string {
    name  = "Db"
    type  = "PostgreSQL"
    value = "Host=pg-demo.postgres.database.azure.com;Database=orders;Username=pgadmin;Password=${var.db_password}"
  }
}
