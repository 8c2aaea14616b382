resource "azurerm_storage_account" "sa" {
  name                     = "stapp"
  resource_group_name      = "rg-app"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  shared_access_key_enabled = false
}

# The module's default role (Reader), and a data-plane role on one storage account.
module "reader" {
  source       = "./modules/role"
  principal_id = "00000000-0000-0000-0000-000000000000"
  scope        = azurerm_storage_account.sa.id
}

module "blob" {
  source       = "./modules/role"
  principal_id = "00000000-0000-0000-0000-000000000000"
  scope        = azurerm_storage_account.sa.id
  role         = "Storage Blob Data Contributor"
}

# Registry and git sources are not read.
module "registry" {
  source  = "Azure/avm-res-authorization-roleassignment/azurerm"
  version = "0.1.0"
  role    = "Owner"
}
