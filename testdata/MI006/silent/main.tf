variable "disable_password" {
  type = bool
}

resource "azurerm_linux_virtual_machine" "vm" {
  name                  = "vm"
  resource_group_name   = "rg"
  location              = "westeurope"
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  network_interface_ids = []
  admin_ssh_key {
    username   = "azureuser"
    public_key = file("~/.ssh/id_rsa.pub")
  }
}

resource "azurerm_linux_virtual_machine_scale_set" "vmss" {
  name                            = "vmss"
  resource_group_name             = "rg"
  location                        = "westeurope"
  sku                             = "Standard_B2s"
  admin_username                  = "azureuser"
  disable_password_authentication = var.disable_password
}

resource "azurerm_windows_virtual_machine" "win" {
  name                  = "win"
  resource_group_name   = "rg"
  location              = "westeurope"
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  network_interface_ids = []
}
