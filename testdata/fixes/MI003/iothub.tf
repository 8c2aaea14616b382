resource "azurerm_iothub" "telemetry" {
  name                = "hub-telemetry"
  resource_group_name = "rg-iot"
  location            = "westeurope"

  sku {
    name     = "S1"
    capacity = 1
  }
  local_authentication_enabled = false
}

resource "azurerm_iothub" "explicit" {
  name                         = "hub-explicit"
  resource_group_name          = "rg-iot"
  location                     = "westeurope"
  local_authentication_enabled = false

  sku {
    name     = "S1"
    capacity = 1
  }
}
