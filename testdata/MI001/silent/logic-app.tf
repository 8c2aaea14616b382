# A workflow whose only action posts to an arbitrary URL: nothing an identity would reach.
resource "azurerm_logic_app_workflow" "wf" {
  name                = "notify"
  location            = "westeurope"
  resource_group_name = "rg"
}

resource "azurerm_logic_app_action_http" "notify" {
  name         = "notify"
  logic_app_id = azurerm_logic_app_workflow.wf.id
  method       = "POST"
  uri          = "https://hooks.example.com/notify"
}
