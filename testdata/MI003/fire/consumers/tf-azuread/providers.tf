provider "azurerm" {
  features {}
  storage_use_azuread = true
}
