resource "azurerm_storage_account" "sa" {
  name                     = "fakeacct"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_key_vault_secret" "storage_conn" {
  name         = "storage-connection-string"
  value        = azurerm_storage_account.sa.primary_connection_string
  key_vault_id = azurerm_key_vault.kv.id
}

resource "azurerm_key_vault_secret" "storage_conn_built" {
  name         = "storage-connection-built"
  value        = "DefaultEndpointsProtocol=https;AccountName=${azurerm_storage_account.sa.name};AccountKey=${azurerm_storage_account.sa.primary_access_key}"
  key_vault_id = azurerm_key_vault.kv.id
}

resource "azurerm_linux_function_app" "f" {
  name                 = "fake-func"
  resource_group_name  = "rg"
  location             = "westeurope"
  service_plan_id      = "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  storage_account_name = azurerm_storage_account.sa.name

  app_settings = {
    "Storage"  = "DefaultEndpointsProtocol=https;AccountName=${azurerm_storage_account.sa.name};AccountKey=${azurerm_storage_account.sa.primary_access_key}"
    "Storage2" = azurerm_storage_account.sa.primary_connection_string
  }

  site_config {}
}
