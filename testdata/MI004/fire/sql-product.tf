variable "sql_password" {
  type      = string
  sensitive = true
}

resource "azurerm_mssql_server" "product" {
  name                         = "product-sql"
  resource_group_name          = "rg"
  location                     = "westeurope"
  version                      = "12.0"
  administrator_login          = "productadmin"
  administrator_login_password = var.sql_password
}

resource "azurerm_virtual_machine_extension" "install" {
  name                 = "install"
  virtual_machine_id   = "vm-id"
  publisher            = "Microsoft.Azure.Extensions"
  type                 = "CustomScript"
  type_handler_version = "2.1"
  protected_settings = jsonencode({
    commandToExecute = "bash install.sh -p '${azurerm_mssql_server.product.administrator_login_password}'"
  })
}
