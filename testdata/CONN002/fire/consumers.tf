# The advice follows the consumer: a Data Factory linked service, a Function App's content share,
# a MySQL connection string in an app setting.
resource "azurerm_data_factory_linked_service_azure_blob_storage" "blob" {
  name              = "blob"
  data_factory_id   = azurerm_data_factory.adf.id
  connection_string = "DefaultEndpointsProtocol=https;AccountName=${azurerm_storage_account.sa.name};AccountKey=${azurerm_storage_account.sa.primary_access_key}"
}

resource "azurerm_windows_function_app" "func" {
  name                       = "func"
  resource_group_name        = "rg"
  location                   = "westeurope"
  service_plan_id            = "plan"
  storage_account_name       = azurerm_storage_account.sa.name
  storage_uses_managed_identity = true
  site_config {}
  identity {
    type = "SystemAssigned"
  }
  app_settings = {
    WEBSITE_CONTENTAZUREFILECONNECTIONSTRING = "DefaultEndpointsProtocol=https;AccountName=${azurerm_storage_account.sa.name};AccountKey=${azurerm_storage_account.sa.primary_access_key}"
    MYSQL                                    = "Server=${azurerm_mysql_flexible_server.db.fqdn};Port=3306;Database=app;Uid=admin;Pwd=${var.db_password}"
  }
}
