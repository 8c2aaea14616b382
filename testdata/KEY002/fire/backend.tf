terraform {
  backend "azurerm" {
    storage_account_name = "fakestate"
    container_name       = "tfstate"
    key                  = "prod.terraform.tfstate"
    access_key           = "71G7GjgGl1g627Wt/Es0eok69wn3l89up/w4pIlnEdsLFf7HMfu31ls+Be5Wn4gg0uCQUj5Tr+iiDM4/xfPUxw=="
  }
}

data "terraform_remote_state" "network" {
  backend = "azurerm"
  config = {
    storage_account_name = "fakestate"
    container_name       = "tfstate"
    key                  = "network.terraform.tfstate"
    sas_token            = "Fake-Backend-Sv7x-Zq81"
  }
}

data "terraform_remote_state" "shared" {
  backend = "azurerm"
  config = {
    storage_account_name = "fakestate"
    container_name       = "tfstate"
    key                  = "shared.terraform.tfstate"
    access_key           = "rQXxhZaURUzS+dVjed39YW8sorFz9qFI8nz2IOSiKIvHTgqC6hRXoG4vgs6y2kDSkeTjhtb0y0EBKXHxS92Sww=="
  }
}
