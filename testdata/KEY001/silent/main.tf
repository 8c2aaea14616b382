variable "client_secret" {
  type      = string
  sensitive = true
}

provider "azurerm" {
  features {}
  client_secret = var.client_secret
}

data "azurerm_key_vault_secret" "k" {
  name         = "storage-key"
  key_vault_id = "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/fakekv"
}

resource "azurerm_storage_share" "s" {
  name                 = "share"
  storage_account_name = "fakeacct"
  access_key           = data.azurerm_key_vault_secret.k.value
}
