locals {
  storage_format = "DefaultEndpointsProtocol=https;AccountName=%s;AccountKey=%s"
  connection     = "DefaultEndpointsProtocol=https;AccountName=${azurerm_storage_account.sa.name};AccountKey=${azurerm_storage_account.sa.primary_access_key}"
  prefix         = "DefaultEndpointsProtocol=https;AccountName=${azurerm_storage_account.sa.name};AccountKey="
}

resource "azurerm_linux_web_app" "app" {
  name                = "app"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "plan"
  site_config {}
  app_settings = {
    BLOBS  = format(local.storage_format, azurerm_storage_account.sa.name, azurerm_storage_account.sa.primary_access_key)
    # reported where the local is defined, not again here
    TABLES = local.connection
    QUEUES = "${local.prefix}${azurerm_storage_account.sa.primary_access_key}"
  }
}
