# Switches turned off, or a value the caller decides: nothing to judge.
variable "keys_on" {
  type = bool
}

module "files" {
  source                    = "Azure/avm-res-storage-storageaccount/azurerm"
  version                   = "0.2.0"
  name                      = "storders"
  shared_access_key_enabled = false
}

module "registry" {
  source        = "Azure/avm-res-containerregistry-registry/azurerm"
  version       = "0.4.0"
  name          = "crorders"
  admin_enabled = var.keys_on
}

module "events" {
  source                       = "Azure/avm-res-eventhub-namespace/azurerm"
  version                      = "0.1.0"
  name                         = "evh-orders"
  local_authentication_enabled = false
}
