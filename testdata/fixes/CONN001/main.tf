resource "azurerm_linux_web_app" "app" {
  name                = "fake-app"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"

  app_settings = {
    "ServiceBus__fullyQualifiedNamespace" = "fakens.servicebus.windows.net"
  }

  connection_string {
    name  = "Db"
    type  = "SQLAzure"
    value = "Server=tcp:fakesql.database.windows.net;Database=appdb;Authentication=Active Directory Default"
  }

  site_config {}
}
