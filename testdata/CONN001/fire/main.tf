resource "azurerm_linux_web_app" "app" {
  name                = "fake-app"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"

  app_settings = {
    "ServiceBus" = "Endpoint=sb://fakens.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=+50rK4kVe4q026SyGviPvFFHOSn2MCntNuZyO8w7LPE="
  }

  connection_string {
    name  = "Db"
    type  = "SQLAzure"
    value = "Server=tcp:fakesql.database.windows.net;Database=appdb;User ID=appuser;Password=Fake-Pa55w0rd-e5d16d4b"
  }

  site_config {}
}
