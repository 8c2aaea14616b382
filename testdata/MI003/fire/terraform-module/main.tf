locals {
  legacy = {
    shared_key = true
  }
}

# Shared key access turned on by the caller: reported at the argument.
module "data" {
  source     = "./modules/storage"
  name       = "stdata"
  shared_key = local.legacy.shared_key
}
