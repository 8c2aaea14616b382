# Registry modules that `terraform init` has not installed here: the switches passed to them
# are judged by their names and values.
module "files" {
  source                    = "Azure/avm-res-storage-storageaccount/azurerm"
  version                   = "0.2.0"
  name                      = "storders"
  shared_access_key_enabled = true
}

module "registry" {
  source        = "Azure/avm-res-containerregistry-registry/azurerm"
  version       = "0.4.0"
  name          = "crorders"
  admin_enabled = true
}

module "events" {
  source                       = "Azure/avm-res-eventhub-namespace/azurerm"
  version                      = "0.1.0"
  name                         = "evh-orders"
  local_authentication_enabled = true
}
