# System-assigned for the code; the user-assigned identity pulls images, the other resolves Key
# Vault references.
resource "azurerm_linux_web_app" "app" {
  name                = "app"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "plan"
  identity {
    type         = "SystemAssigned, UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.pull.id, azurerm_user_assigned_identity.kv.id]
  }
  key_vault_reference_identity_id = azurerm_user_assigned_identity.kv.id
  site_config {
    container_registry_use_managed_identity       = true
    container_registry_managed_identity_client_id = azurerm_user_assigned_identity.pull.client_id
  }
}
