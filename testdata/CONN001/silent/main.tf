resource "azurerm_linux_web_app" "app" {
  name                = "fake-app"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"

  identity {
    type = "SystemAssigned"
  }

  app_settings = {
    "ServiceBus__fullyQualifiedNamespace" = "fakens.servicebus.windows.net"
    "Db"                                  = "Server=tcp:fakesql.database.windows.net;Database=appdb;Authentication=Active Directory Default"
    "Vault"                               = "@Microsoft.KeyVault(SecretUri=https://fakekv.vault.azure.net/secrets/db/)"
  }

  site_config {}
}
