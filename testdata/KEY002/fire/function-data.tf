locals {
  base = {
    region = "westeurope"
  }
  settings = merge(local.base, {
    db_password = "Fake-Merge-Pa55word!"
  })
  tags = tomap({ owner = "team", api_key = "Fake-Tomap-Zq7x-1234" })
}

resource "azurerm_container_group" "cg" {
  name                = "cg"
  resource_group_name = "rg"
  location            = "westeurope"
  os_type             = "Linux"
  container {
    name   = "app"
    image  = "nginx"
    cpu    = 1
    memory = 1
    commands = [jsonencode({
      clientSecret = "Fake~8Q~jsonenc0de.s3cret"
    })]
  }
}
