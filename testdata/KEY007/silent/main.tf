variable "api_key" {
  type      = string
  sensitive = true
}

resource "random_password" "admin" {
  length = 24
}

resource "azurerm_storage_account" "sa" {
  name                     = "examplesa"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_key_vault_secret" "key" {
  name         = "storage-key"
  key_vault_id = "kv"
  value        = azurerm_storage_account.sa.primary_access_key
}

resource "azurerm_linux_function_app" "fn" {
  name                          = "example-fn"
  resource_group_name           = "rg"
  location                      = "westeurope"
  service_plan_id               = "plan"
  storage_account_name          = azurerm_storage_account.sa.name
  storage_uses_managed_identity = true
  identity {
    type = "SystemAssigned"
  }
  site_config {}
  app_settings = {
    STORAGE_ENDPOINT = azurerm_storage_account.sa.primary_blob_endpoint
  }
}

resource "azurerm_linux_virtual_machine" "vm" {
  name                            = "vm"
  resource_group_name             = "rg"
  location                        = "westeurope"
  size                            = "Standard_B2s"
  admin_username                  = "azureuser"
  admin_password                  = random_password.admin.result
  disable_password_authentication = true
  network_interface_ids           = []
}

resource "azurerm_virtual_machine_extension" "setup" {
  name                 = "setup"
  virtual_machine_id   = azurerm_linux_virtual_machine.vm.id
  publisher            = "Microsoft.Azure.Extensions"
  type                 = "CustomScript"
  type_handler_version = "2.1"
  settings = jsonencode({
    fileUris = ["https://example.com/setup.sh"]
  })
  protected_settings = jsonencode({
    commandToExecute = "bash setup.sh ${azurerm_storage_account.sa.primary_access_key}"
  })
}

resource "azurerm_dns_txt_record" "validation" {
  name                = "_dnsauth.www"
  zone_name           = "example.com"
  resource_group_name = "rg"
  ttl                 = 3600
  record {
    value = azurerm_cdn_frontdoor_custom_domain.www.validation_token
  }
}
