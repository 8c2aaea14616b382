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

# The code takes the system-assigned identity; the user-assigned one resolves Key Vault references.
resource "azurerm_windows_web_app" "kv" {
  name                            = "kv"
  key_vault_reference_identity_id = azurerm_user_assigned_identity.kv.id
  identity {
    type         = "SystemAssigned, UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.kv.id]
  }
}
