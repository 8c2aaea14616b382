resource "azurerm_management_group" "platform" {
  display_name = "Platform"
}

resource "azurerm_policy_definition" "deploy_agent" {
  name                = "deploy-agent"
  policy_type         = "Custom"
  mode                = "Indexed"
  display_name        = "Deploy the monitoring agent"
  management_group_id = azurerm_management_group.platform.id

  policy_rule = jsonencode({
    if = {
      field  = "type"
      equals = "Microsoft.Compute/virtualMachines"
    }
    then = {
      effect = "deployIfNotExists"
      details = {
        type = "Microsoft.Compute/virtualMachines/extensions"
        roleDefinitionIds = [
          "/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
        ]
      }
    }
  })
}
