# A web app and its database, provisioned with a password and a subscription-wide role.

data "azurerm_subscription" "current" {}

resource "azurerm_resource_group" "app" {
  name     = "rg-inventory"
  location = "westeurope"
}

resource "azurerm_mssql_server" "db" {
  name                         = "inventory-sql"
  resource_group_name          = azurerm_resource_group.app.name
  location                     = azurerm_resource_group.app.location
  version                      = "12.0"
  administrator_login          = "inventoryadmin"
  administrator_login_password = "Inv3ntory!Admin2026"
}

resource "azurerm_service_plan" "plan" {
  name                = "plan-inventory"
  resource_group_name = azurerm_resource_group.app.name
  location            = azurerm_resource_group.app.location
  os_type             = "Linux"
  sku_name            = "P1v3"
}

resource "azurerm_linux_web_app" "api" {
  name                = "inventory-api"
  resource_group_name = azurerm_resource_group.app.name
  location            = azurerm_resource_group.app.location
  service_plan_id     = azurerm_service_plan.plan.id

  site_config {}

  app_settings = {
    "ASPNETCORE_ENVIRONMENT" = "Production"
  }

  connection_string {
    name  = "Inventory"
    type  = "SQLAzure"
    value = "Server=tcp:inventory-sql.database.windows.net;Database=inventory;User ID=inventoryadmin;Password=Inv3ntory!Admin2026"
  }
}

resource "azurerm_role_assignment" "deployer" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Contributor"
  principal_id         = var.deployer_object_id
}

variable "deployer_object_id" {
  type = string
}
