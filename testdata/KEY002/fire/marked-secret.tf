resource "azurerm_api_management_named_value" "token" {
  name                = "backend-token"
  resource_group_name = "rg"
  api_management_name = "apim"
  display_name        = "backend-token"
  secret              = true
  value               = "Fake-Backend-T0ken-0002"
}
