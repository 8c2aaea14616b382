locals {
  blob_format = "https://%s.blob.core.windows.net/"
}

resource "azurerm_linux_web_app" "app" {
  name                = "app"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "plan"
  site_config {}
  app_settings = {
    BLOB_URI = format(local.blob_format, azurerm_storage_account.sa.name)
  }
}
