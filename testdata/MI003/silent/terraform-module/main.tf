# The module's default (off), and off passed explicitly.
module "data" {
  source = "./modules/storage"
  name   = "stdata"
}

module "logs" {
  source     = "./modules/storage"
  name       = "stlogs"
  shared_key = false
}
