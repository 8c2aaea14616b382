resource "azurerm_iothub" "telemetry" {
  name                = "hub-telemetry"
  resource_group_name = "rg-iot"
  location            = "westeurope"

  sku {
    name     = "S1"
    capacity = 1
  }
}

resource "azurerm_iothub" "explicit" {
  name                         = "hub-explicit"
  resource_group_name          = "rg-iot"
  location                     = "westeurope"
  local_authentication_enabled = true

  sku {
    name     = "S1"
    capacity = 1
  }
}
