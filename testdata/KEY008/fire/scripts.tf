resource "azurerm_linux_virtual_machine" "app" {
  name                  = "app"
  resource_group_name   = "rg"
  location              = "westeurope"
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  network_interface_ids = []
  custom_data = base64encode(<<-EOT
    #!/bin/bash
    export AZURE_STORAGE_KEY=Fake-Tf-Storage-K3y-0001
    export API_KEY=Fake-Tf-Api-K3y-0001
  EOT
  )
}

resource "null_resource" "seed" {
  provisioner "local-exec" {
    command = "curl --user admin:Fake-Tf-Curl-Pa55 https://example.com/seed"
  }
}
