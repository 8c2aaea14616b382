data "azurerm_client_config" "current" {}

resource "azurerm_key_vault" "inline" {
  name      = "kv-inline"
  sku_name  = "standard"
  tenant_id = data.azurerm_client_config.current.tenant_id

  access_policy {
    tenant_id               = data.azurerm_client_config.current.tenant_id
    object_id               = data.azurerm_client_config.current.object_id
    certificate_permissions = ["Create", "Get"]
  }
}

resource "azurerm_key_vault" "separate" {
  name      = "kv-separate"
  sku_name  = "standard"
  tenant_id = data.azurerm_client_config.current.tenant_id
}

resource "azurerm_key_vault_access_policy" "deployer" {
  key_vault_id       = azurerm_key_vault.separate.id
  tenant_id          = data.azurerm_client_config.current.tenant_id
  object_id          = data.azurerm_client_config.current.object_id
  secret_permissions = ["Get", "Set"]
}
