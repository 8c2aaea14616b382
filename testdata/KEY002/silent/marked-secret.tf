resource "azurerm_api_management_named_value" "token" {
  name                = "backend-token"
  resource_group_name = "rg"
  api_management_name = "apim"
  display_name        = "backend-token"
  secret              = true
  value_from_key_vault {
    secret_id = azurerm_key_vault_secret.token.versionless_id
  }
}

resource "azurerm_api_management_named_value" "url" {
  name                = "backend-url"
  resource_group_name = "rg"
  api_management_name = "apim"
  display_name        = "backend-url"
  value               = "https://backend.example.com/api"
}
