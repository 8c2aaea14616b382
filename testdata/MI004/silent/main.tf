resource "azurerm_mssql_server" "sql" {
  name = "sql"
  azuread_administrator {
    login_username              = "dba"
    object_id                   = var.oid
    azuread_authentication_only = true
  }
}

data "azurerm_mssql_server" "existing" {
  name                = "existing"
  resource_group_name = "rg"
}
