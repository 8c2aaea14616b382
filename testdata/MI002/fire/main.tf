resource "azurerm_linux_web_app" "app" {
  name = "app"
  identity {
    type         = "SystemAssigned, UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.app.id]
  }
}
