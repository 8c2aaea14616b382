module "files" {
  source = "./modules/storage"
  name   = "stfiles"
}

module "acr" {
  source  = "contoso/registry/azurerm"
  version = "1.2.0"
  name    = "crapp"
}

resource "azurerm_linux_function_app" "app" {
  name                       = "func-app"
  resource_group_name        = "rg-app"
  location                   = "westeurope"
  service_plan_id            = azurerm_service_plan.plan.id
  storage_account_name       = "stfiles"
  storage_account_access_key = module.files.auth

  app_settings = {
    FILES                           = module.files.host
    DOCKER_REGISTRY_SERVER_USERNAME = module.acr.login
    DOCKER_REGISTRY_SERVER_PASSWORD = module.acr.pull
  }

  site_config {}
}
