resource "azurerm_key_vault" "defaults" {
  name                = "kv-defaults"
  location            = "westeurope"
  resource_group_name = "rg"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
  rbac_authorization_enabled = true
}

resource "azurerm_key_vault" "old_spelling" {
  name                      = "kv-old"
  enable_rbac_authorization = true
  sku_name                  = "standard"
}

resource "azurerm_key_vault" "new_spelling" {
  name                       = "kv-new"
  rbac_authorization_enabled = true
  sku_name                   = "standard"
}
