# A registry module that `terraform init` has not installed: a note naming the command.
module "storage" {
  source  = "Azure/avm-res-storage-storageaccount/azurerm"
  version = "0.2.0"
  name    = "stdata"
}
