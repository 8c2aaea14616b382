module "files" {
  source = "./modules/storage"
  name   = "stfiles"
}

resource "azurerm_linux_function_app" "app" {
  name                          = "func-app"
  resource_group_name           = "rg-app"
  location                      = "westeurope"
  service_plan_id               = azurerm_service_plan.plan.id
  storage_account_name          = module.files.account
  storage_uses_managed_identity = true

  identity {
    type = "SystemAssigned"
  }

  app_settings = {
    FILES                            = module.files.host
    AzureWebJobsStorage__accountName = module.files.account
  }

  site_config {}
}
