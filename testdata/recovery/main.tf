resource "azurerm_mssql_server" "sql" {
  name                         = "sql"
  administrator_login_password = "Fake-Recover-Hcl-Pa55"
}

resource "azurerm_storage_account" "broken" {
  name =
}
