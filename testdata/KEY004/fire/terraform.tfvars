location       = "westeurope"
admin_username = "azureuser"
admin_password = "Fake-Vm-Adm1n-Pa55!"

sql = {
  administrator_login          = "sqladmin"
  administrator_login_password = "Fake-Sql-Adm1n-Pa55!"
}
