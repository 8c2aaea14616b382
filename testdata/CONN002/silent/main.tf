data "azurerm_key_vault_secret" "db" {
  name         = "db-password"
  key_vault_id = "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/fakekv"
}

resource "azurerm_linux_function_app" "f" {
  name            = "fake-func"
  location        = "westeurope"
  service_plan_id = "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"

  identity {
    type = "SystemAssigned"
  }

  app_settings = {
    "AzureWebJobsStorage__accountName" = azurerm_storage_account.a.name
    "Sql"  = "Server=tcp:${var.sql_server}.database.windows.net;Database=appdb;Authentication=Active Directory Default"
    "Db"   = "Server=tcp:fakesql.database.windows.net;Database=appdb;User ID=appuser;Password=${data.azurerm_key_vault_secret.db.value}"
  }

  site_config {}
}
