data "azurerm_subscription" "primary" {}

resource "azurerm_lighthouse_definition" "msp" {
  name               = "MSP operations"
  managing_tenant_id = var.managing_tenant_id
  scope              = data.azurerm_subscription.primary.id

  authorization {
    principal_id           = var.ops_group_id
    role_definition_id     = "b24988ac-6180-42a0-ab88-20f7382dd24c"
    principal_display_name = "Operations"
  }

  eligible_authorization {
    principal_id       = var.ops_group_id
    role_definition_id = "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9"
  }
}

resource "azurerm_lighthouse_assignment" "msp" {
  scope                    = data.azurerm_subscription.primary.id
  lighthouse_definition_id = azurerm_lighthouse_definition.msp.id
}
