locals {
  settings = merge(local.base, {
    db_password      = var.db_password
    password_length  = "24"
    admin_username   = "azureuser"
  })
  tags = tomap({ owner = "team", api_key = "${var.api_key}" })
}
