# A registry module installed by `terraform init`: read from .terraform/modules.
module "acr" {
  source        = "Azure/avm-res-containerregistry-registry/azurerm"
  version       = "0.4.0"
  name          = "crbuild"
  admin_enabled = true
}
