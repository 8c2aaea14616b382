module "sa" {
  source = "./modules/storage"
  name   = "stapp"
}

module "bus" {
  source = "git::https://example.com/terraform-azurerm-servicebus.git?ref=v1.0.0"
  name   = "sb-app"
}

resource "azuread_application_password" "app" {
  application_id = azuread_application.app.id
}

resource "azurerm_linux_function_app" "app" {
  name                       = "func-app"
  resource_group_name        = "rg-app"
  location                   = "westeurope"
  service_plan_id            = azurerm_service_plan.plan.id
  storage_account_name       = module.sa.name
  storage_account_access_key = module.sa.primary_access_key

  app_settings = {
    ServiceBusConnection = module.bus.default_primary_connection_string
    ClientSecret         = azuread_application_password.app.value
  }

  site_config {}
}
