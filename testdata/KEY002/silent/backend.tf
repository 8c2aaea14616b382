terraform {
  backend "azurerm" {
    storage_account_name = "fakestate"
    container_name       = "tfstate"
    key                  = "prod.terraform.tfstate"
    use_azuread_auth     = true
    use_oidc             = true
  }
}

data "terraform_remote_state" "network" {
  backend = "azurerm"
  config = {
    storage_account_name = "fakestate"
    container_name       = "tfstate"
    key                  = "network.terraform.tfstate"
    use_azuread_auth     = true
    sas_token            = var.state_sas_token
  }
}
