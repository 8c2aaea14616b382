resource "azurerm_linux_function_app" "app" {
  name                       = "app"
  resource_group_name        = "rg"
  location                   = "westeurope"
  service_plan_id            = "plan"
  storage_account_name       = "st"
  identity {
    type         = "SystemAssigned, UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.kv.id]
  }
  key_vault_reference_identity_id = azurerm_user_assigned_identity.kv.id
  app_settings = {
    "AzureWebJobsStorage__clientId" = azurerm_user_assigned_identity.kv.client_id
  }
  site_config {}
}
