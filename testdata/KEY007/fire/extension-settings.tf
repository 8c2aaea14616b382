variable "admin_password" {
  type      = string
  sensitive = true
}

resource "azurerm_virtual_machine_extension" "setup" {
  name                 = "setup"
  virtual_machine_id   = var.vm_id
  publisher            = "Microsoft.Azure.Extensions"
  type                 = "CustomScript"
  type_handler_version = "2.1"

  settings = jsonencode({
    commandToExecute = "bash setup.sh ${var.admin_password}"
  })
}
