resource "azurerm_api_connection" "sql" {
  name           = "sql"
  managed_api_id = data.azurerm_managed_api.sql.id
  parameter_values = {
    server   = "sql.database.windows.net"
    database = "db"
  }
}
