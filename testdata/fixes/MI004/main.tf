resource "azurerm_mssql_server" "sql" {
  name                         = "sql"
  administrator_login          = "sqladmin"
  administrator_login_password = var.sql_password
}

resource "azurerm_mssql_server" "sql2" {
  name = "sql2"
  azuread_administrator {
    login_username              = "dba"
    object_id                   = var.oid
    azuread_authentication_only = true
  }
}
