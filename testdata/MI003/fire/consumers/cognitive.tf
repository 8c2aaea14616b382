resource "azurerm_cognitive_account" "regional" {
  name                = "translate"
  location            = "westeurope"
  resource_group_name = "rg"
  kind                = "TextTranslation"
  sku_name            = "S1"
}

resource "azurerm_cognitive_account" "custom" {
  name                  = "vision"
  location              = "westeurope"
  resource_group_name   = "rg"
  kind                  = "ComputerVision"
  sku_name              = "S1"
  custom_subdomain_name = "contoso-vision"
}
