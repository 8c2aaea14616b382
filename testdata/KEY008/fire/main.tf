resource "azurerm_linux_virtual_machine" "vm" {
  name                = "vm"
  resource_group_name = "rg"
  location            = "westeurope"
  size                = "Standard_B2s"
  admin_username      = "azureuser"
  custom_data = base64encode(<<-EOT
    export APP_DB_PASSWORD=Fake-CloudInit-Pa55
    systemctl start app
  EOT
  )
  network_interface_ids = []
}
