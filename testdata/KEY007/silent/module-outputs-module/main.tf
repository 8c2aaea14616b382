module "sa" {
  source = "./modules/storage"
  name   = "stapp"
}

resource "azurerm_linux_function_app" "app" {
  name                          = "func-app"
  resource_group_name           = "rg-app"
  location                      = "westeurope"
  service_plan_id               = azurerm_service_plan.plan.id
  storage_account_name          = module.sa.name
  storage_uses_managed_identity = true

  identity {
    type = "SystemAssigned"
  }

  app_settings = {
    AzureWebJobsStorage__accountName = module.sa.name
    BlobEndpoint                     = module.sa.storage
  }

  site_config {}
}
