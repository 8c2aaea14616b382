resource "azurerm_linux_web_app" "app" {
  name = "app"
  app_settings = {
    AZURE_CLIENT_ID = azurerm_user_assigned_identity.app.client_id
  }
  identity {
    type         = "SystemAssigned, UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }
}

resource "azurerm_windows_web_app" "kv" {
  name                            = "kv"
  key_vault_reference_identity_id = azurerm_user_assigned_identity.kv.id
  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.kv.id, azurerm_user_assigned_identity.other.id]
  }
}
