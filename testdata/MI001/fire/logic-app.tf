# A workflow whose action calls Azure Resource Manager.
resource "azurerm_logic_app_workflow" "wf" {
  name                = "arm-caller"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_logic_app_action_http" "list" {
  name         = "list"
  logic_app_id = azurerm_logic_app_workflow.wf.id
  method       = "GET"
  uri          = "https://management.azure.com/subscriptions/0000/resourceGroups?api-version=2021-04-01"
}
