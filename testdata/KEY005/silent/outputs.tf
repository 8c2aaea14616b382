resource "azurerm_storage_account" "sa" {
  name                     = "stkeylessdemo"
  resource_group_name      = "rg-demo"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_key_vault_secret" "admin_password" {
  name         = "admin-password"
  value        = var.admin_password
  key_vault_id = var.key_vault_id
}

output "storage_account_id" {
  value = azurerm_storage_account.sa.id
}

output "blob_endpoint" {
  value = azurerm_storage_account.sa.primary_blob_endpoint
}

output "admin_password_secret_id" {
  value = azurerm_key_vault_secret.admin_password.id
}

output "principal_id" {
  value = azurerm_linux_web_app.app.identity[0].principal_id
}

resource "azurerm_application_insights" "ai" {
  name                = "appi-demo"
  resource_group_name = "rg-demo"
  location            = "westeurope"
  application_type    = "web"
}

# Application Insights connection strings identify where telemetry goes; they grant nothing
output "app_insights_connection_string" {
  value = azurerm_application_insights.ai.connection_string
}

output "instrumentation_key" {
  value = azurerm_application_insights.ai.instrumentation_key
}
