data "azurerm_subscription" "primary" {}

data "azurerm_role_definition" "owner" {
  name = "Owner"
}

resource "azurerm_pim_eligible_role_assignment" "owner" {
  scope              = data.azurerm_subscription.primary.id
  role_definition_id = "${data.azurerm_subscription.primary.id}${data.azurerm_role_definition.owner.id}"
  principal_id       = var.admin_group_id

  schedule {
    expiration {
      duration_days = 365
    }
  }
}

resource "azurerm_pim_active_role_assignment" "contributor" {
  scope              = data.azurerm_subscription.primary.id
  role_definition_id = "/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"
  principal_id       = var.ops_group_id
}
