data "azurerm_resource_group" "rg" {
  name = "rg"
}

resource "azurerm_user_assigned_identity" "script" {
  name                = "temp-script-identity"
  resource_group_name = "rg"
  location            = "westeurope"
}

resource "azurerm_role_assignment" "script" {
  scope                = data.azurerm_resource_group.rg.id
  role_definition_name = "Contributor"
  principal_id         = azurerm_user_assigned_identity.script.principal_id
}

resource "azurerm_resource_deployment_script_azure_cli" "configure" {
  name                = "configure"
  resource_group_name = "rg"
  location            = "westeurope"
  version             = "2.52.0"
  retention_interval  = "P1D"
  script_content      = "az deployment group create -g rg -f x.json"
  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.script.id]
  }
}
