resource "azurerm_linux_web_app" "quiet" {
  name                = "quiet-app"
  location            = "westeurope"
  resource_group_name = "rg"
  service_plan_id     = "plan-id"
  site_config {}
}

resource "azurerm_key_vault" "kv" {
  name                = "kv"
  location            = "westeurope"
  resource_group_name = "rg"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}

resource "azurerm_linux_web_app" "vault" {
  name                = "vault-app"
  location            = "westeurope"
  resource_group_name = "rg"
  service_plan_id     = "plan-id"
  site_config {}
  app_settings = {
    VAULT_URI = azurerm_key_vault.kv.vault_uri
  }
}

resource "azurerm_api_management" "quiet" {
  name                = "quiet-apim"
  location            = "westeurope"
  resource_group_name = "rg"
  publisher_name      = "Example"
  publisher_email     = "a@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management" "vault" {
  name                = "vault-apim"
  location            = "westeurope"
  resource_group_name = "rg"
  publisher_name      = "Example"
  publisher_email     = "a@example.com"
  sku_name            = "Developer_1"
}

resource "azurerm_api_management_named_value" "secret" {
  name                = "backend-secret"
  resource_group_name = "rg"
  api_management_name = azurerm_api_management.vault.name
  display_name        = "backend-secret"
  secret              = true
  value_from_key_vault {
    secret_id = "https://kv.vault.azure.net/secrets/backend"
  }
}

resource "azurerm_container_group" "quiet" {
  name                = "quiet-aci"
  location            = "westeurope"
  resource_group_name = "rg"
  os_type             = "Linux"
  container {
    name   = "udp"
    image  = "example/udp-echo:1"
    cpu    = 1
    memory = 1
  }
}

resource "azurerm_automation_account" "runbooks" {
  name                = "runbook-automation"
  location            = "westeurope"
  resource_group_name = "rg"
  sku_name            = "Basic"
}

resource "azurerm_automation_runbook" "stop" {
  name                    = "stop-vms"
  location                = "westeurope"
  resource_group_name     = "rg"
  automation_account_name = azurerm_automation_account.runbooks.name
  log_verbose             = false
  log_progress            = false
  runbook_type            = "PowerShell"
  content                 = "Connect-AzAccount -Identity"
}
