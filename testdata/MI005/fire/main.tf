data "azurerm_managed_api" "blob" {
  name     = "azureblob"
  location = "westeurope"
}

resource "azurerm_api_connection" "blob" {
  name           = "azureblob"
  managed_api_id = data.azurerm_managed_api.blob.id
  parameter_values = {
    accountName = "sa"
    accessKey   = azurerm_storage_account.sa.primary_access_key
  }
}
