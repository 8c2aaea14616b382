provider "azurerm" {
  features {}
  storage_use_azuread = true
}

resource "azurerm_storage_account" "vhd" {
  name                     = "vhdstore"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_storage_account" "login" {
  name                     = "loginstore"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_resource_deployment_script_azure_cli" "copy" {
  name                = "copy-vhd"
  resource_group_name = "rg"
  location            = "westeurope"
  version             = "2.52.0"
  retention_interval  = "P1D"
  command_line        = "--account ${azurerm_storage_account.vhd.name}"
  script_content      = "az storage blob upload --account-name $1 -c vhds -f disk.vhd"
}

resource "azurerm_resource_deployment_script_azure_cli" "upload" {
  name                = "upload"
  resource_group_name = "rg"
  location            = "westeurope"
  version             = "2.52.0"
  retention_interval  = "P1D"
  environment_variable {
    name  = "ACCOUNT"
    value = azurerm_storage_account.login.name
  }
  script_content = "az storage blob upload --account-name $ACCOUNT -c data -f x.txt --auth-mode login"
}
