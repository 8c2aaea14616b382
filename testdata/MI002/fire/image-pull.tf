resource "azurerm_linux_web_app" "app" {
  name                = "app"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "plan"
  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.pull.id, azurerm_user_assigned_identity.app.id]
  }
  site_config {
    container_registry_use_managed_identity       = true
    container_registry_managed_identity_client_id = azurerm_user_assigned_identity.pull.client_id
  }
}
