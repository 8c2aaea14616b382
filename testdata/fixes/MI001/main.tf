resource "azurerm_linux_function_app" "func" {
  name                       = "func-app"
  identity {
    type = "SystemAssigned"
  }
  storage_account_access_key = azurerm_storage_account.sa.primary_access_key
  app_settings = {
    "ServiceBusConnection" = azurerm_servicebus_namespace.sb.default_primary_connection_string
  }
}

resource "azurerm_kubernetes_cluster" "aks" {
  name = "aks"
  service_principal {
    client_id     = var.client_id
    client_secret = var.client_secret
  }
}

resource "azurerm_linux_virtual_machine" "vm" {
  name = "vm"
  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_virtual_machine_extension" "script" {
  name               = "script"
  virtual_machine_id = azurerm_linux_virtual_machine.vm.id
  protected_settings = jsonencode({
    storageAccountKey = azurerm_storage_account.sa.primary_access_key
  })
}
