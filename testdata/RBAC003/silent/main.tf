variable "rbac" {
  type    = bool
  default = true
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

resource "azurerm_key_vault" "from_variable" {
  name                       = "kv-var"
  rbac_authorization_enabled = var.rbac
  sku_name                   = "standard"
}

data "azurerm_key_vault" "existing" {
  name                = "kv-elsewhere"
  resource_group_name = "rg"
}
