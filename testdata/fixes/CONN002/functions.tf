resource "azurerm_windows_function_app" "f" {
  name                = "fake-func"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"

  identity {
    type = "SystemAssigned"
  }

  app_settings = {
    AzureWebJobsStorage__accountName = "${azurerm_storage_account.a.name}"
    Telemetry__fullyQualifiedNamespace           = "${azurerm_eventhub_namespace.e.name}.servicebus.windows.net"
  }

  site_config {}
}
