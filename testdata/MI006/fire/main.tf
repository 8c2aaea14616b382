resource "azurerm_linux_virtual_machine" "vm" {
  name                            = "vm"
  resource_group_name             = "rg"
  location                        = "westeurope"
  size                            = "Standard_B2s"
  admin_username                  = "azureuser"
  disable_password_authentication = false
  network_interface_ids           = []
}

resource "azurerm_virtual_machine" "legacy" {
  name                  = "legacy"
  resource_group_name   = "rg"
  location              = "westeurope"
  vm_size               = "Standard_B2s"
  network_interface_ids = []
  os_profile_linux_config {
    # the old resource type spells it inside a block
    # (and has no default of its own)
    disable_password_authentication = false
  }
}

resource "azurerm_virtual_machine_scale_set" "legacy" {
  name                = "legacy-vmss"
  resource_group_name = "rg"
  location            = "westeurope"
  upgrade_policy_mode = "Manual"
  os_profile_linux_config {
    disable_password_authentication = false
  }
}
