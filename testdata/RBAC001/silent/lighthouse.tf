data "azurerm_subscription" "primary" {}

resource "azurerm_lighthouse_definition" "msp" {
  name               = "MSP monitoring"
  managing_tenant_id = var.managing_tenant_id
  scope              = data.azurerm_subscription.primary.id

  authorization {
    principal_id           = var.ops_group_id
    role_definition_id     = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
    principal_display_name = "Monitoring"
  }
}
