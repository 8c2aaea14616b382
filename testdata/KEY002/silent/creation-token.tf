# An idempotency token (EFS-style `creation_token`) and a page marker are identifiers, not secrets.
resource "azurerm_resource_group" "rg" {
  name     = "rg-demo"
  location = "westeurope"
}

locals {
  settings = {
    creation_token     = "my-product"
    continuation_token = "page-two-marker"
  }
}

output "settings" {
  value = local.settings
}
