resource "azurerm_storage_account" "logs" {
  name                     = "sflogs"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_service_fabric_cluster" "fabric" {
  name                = "fabric"
  resource_group_name = "rg"
  location            = "westeurope"
  reliability_level   = "Silver"
  upgrade_mode        = "Automatic"
  vm_image            = "Windows"
  management_endpoint = "https://fabric.example.test:19080"

  diagnostics_config {
    storage_account_name       = azurerm_storage_account.logs.name
    protected_account_key_name = "StorageAccountKey1"
    blob_endpoint              = azurerm_storage_account.logs.primary_blob_endpoint
    queue_endpoint             = azurerm_storage_account.logs.primary_queue_endpoint
    table_endpoint             = azurerm_storage_account.logs.primary_table_endpoint
  }
}

resource "azurerm_storage_account" "kept" {
  name                      = "keptkeys"
  resource_group_name       = "rg"
  location                  = "westeurope"
  account_tier              = "Standard"
  account_replication_type  = "LRS"
  shared_access_key_enabled = true
}

resource "azurerm_key_vault_secret" "kept" {
  name         = "kept-key"
  key_vault_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/vault"
  value        = azurerm_storage_account.kept.primary_access_key
}
