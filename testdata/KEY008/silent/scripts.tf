resource "azurerm_linux_virtual_machine" "app" {
  name                  = "app"
  resource_group_name   = "rg"
  location              = "westeurope"
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  network_interface_ids = []
  custom_data = base64encode(<<-EOT
    #!/bin/bash
    export AZURE_STORAGE_AUTH_MODE=login
    export API_KEY=$API_KEY_FROM_IMDS
    export STORAGE_KEY=$${STORAGE_KEY}
  EOT
  )
}

resource "null_resource" "seed" {
  provisioner "local-exec" {
    command = "curl --user admin:$SEED_PASSWORD https://example.com/seed"
  }
}
