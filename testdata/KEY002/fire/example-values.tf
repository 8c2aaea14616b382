# Sample values copied from documentation and deployed as they are.
resource "azurerm_linux_web_app" "orders" {
  name                = "app-orders"
  resource_group_name = "rg-orders"
  location            = "westeurope"
  service_plan_id     = azurerm_service_plan.orders.id

  identity {
    type = "SystemAssigned"
  }

  auth_settings {
    enabled = true
    active_directory {
      client_id     = "aadclientid"
      client_secret = "aadsecret"
    }
    microsoft {
      client_id     = "microsoftclientid"
      client_secret = "microsoftclientsecret"
    }
  }

  site_config {}
}
