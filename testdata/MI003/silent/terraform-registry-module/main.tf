# A registry module installed by `terraform init`, left with its admin user off.
module "acr" {
  source  = "Azure/avm-res-containerregistry-registry/azurerm"
  version = "0.4.0"
  name    = "crbuild"
}
