resource "azurerm_linux_virtual_machine" "vm" {
  name                            = "vm-demo"
  resource_group_name             = "rg-demo"
  location                        = "westeurope"
  size                            = "Standard_B2s"
  admin_username                  = "azureuser"
  admin_password                  = "Fake-Tf-Vm-Pa55!"
  disable_password_authentication = false
  network_interface_ids           = []
}
