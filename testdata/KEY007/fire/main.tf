resource "azurerm_storage_account" "sa" {
  name                     = "examplesa"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

locals {
  openai_key = azurerm_cognitive_account.openai.primary_access_key
}

resource "azurerm_linux_function_app" "fn" {
  name                = "example-fn"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "plan"

  storage_account_name = azurerm_storage_account.sa.name
  # the host storage key
  storage_account_access_key = azurerm_storage_account.sa.primary_access_key

  site_config {}

  app_settings = {
    FUNCTIONS_WORKER_RUNTIME = "python"
    # a key through a local
    OPENAI_API_KEY = local.openai_key
  }
}

resource "azurerm_container_app" "app" {
  name                         = "example-app"
  container_app_environment_id = "env"
  resource_group_name          = "rg"
  revision_mode                = "Single"
  secret {
    name  = "registry-password"
    value = azurerm_container_registry.acr.admin_password
  }
  template {}
}

resource "azurerm_stream_analytics_stream_input_blob" "in" {
  name                      = "input"
  stream_analytics_job_name = "job"
  resource_group_name       = "rg"
  storage_account_name      = azurerm_storage_account.sa.name
  storage_container_name    = "events"
  path_pattern              = "{date}"
  storage_account_key       = azurerm_storage_account.sa.primary_access_key
  date_format               = "yyyy/MM/dd"
  time_format               = "HH"
}

resource "azurerm_virtual_machine_extension" "setup" {
  name                 = "setup"
  virtual_machine_id   = "vm"
  publisher            = "Microsoft.Azure.Extensions"
  type                 = "CustomScript"
  type_handler_version = "2.1"
  settings = jsonencode({
    commandToExecute = "bash setup.sh ${azurerm_storage_account.sa.primary_access_key}"
  })
}
