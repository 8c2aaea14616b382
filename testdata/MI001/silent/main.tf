resource "azurerm_linux_web_app" "app" {
  name = "app"
  identity {
    type = "SystemAssigned"
  }
}

data "azurerm_linux_web_app" "existing" {
  name                = "existing"
  resource_group_name = "rg"
}

resource "azurerm_storage_account" "sa" {
  name = "sa"
}

resource "azurerm_windows_virtual_machine" "jumpbox" {
  name = "jumpbox"
}

resource "azurerm_linux_virtual_machine" "pw" {
  name                            = "pw"
  admin_password                  = var.admin_password
  disable_password_authentication = false
}
