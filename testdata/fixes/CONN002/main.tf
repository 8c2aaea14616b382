resource "azurerm_storage_account" "a" {
  name                     = "fakeacct"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_linux_function_app" "f" {
  name                       = "fake-func"
  resource_group_name        = "rg"
  location                   = "westeurope"
  service_plan_id            = "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  storage_account_name       = azurerm_storage_account.a.name

  app_settings = {
    "Storage" = "DefaultEndpointsProtocol=https;AccountName=${azurerm_storage_account.a.name};AccountKey=${azurerm_storage_account.a.primary_access_key}"
    "Db"      = "Server=tcp:fakesql.database.windows.net;Database=appdb;Authentication=Active Directory Default"
    "Bus"     = azurerm_servicebus_namespace.sb.default_primary_connection_string
  }

  site_config {}
}
