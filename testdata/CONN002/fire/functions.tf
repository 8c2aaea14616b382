resource "azurerm_windows_function_app" "f" {
  name                = "fake-func"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"

  identity {
    type = "SystemAssigned"
  }

  app_settings = {
    AzureWebJobsStorage = "DefaultEndpointsProtocol=https;AccountName=${azurerm_storage_account.a.name};AccountKey=${azurerm_storage_account.a.primary_access_key}"
    Telemetry           = "Endpoint=sb://${azurerm_eventhub_namespace.e.name}.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=${azurerm_eventhub_namespace.e.default_primary_key};EntityPath=telemetry"
  }

  site_config {}
}
