provider "azurerm" {
  features {}
}

resource "azurerm_storage_account" "data" {
  name                     = "data"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_storage_container" "c" {
  name               = "content"
  storage_account_id = azurerm_storage_account.data.id
}

resource "azurerm_storage_account" "diag" {
  name                     = "diag"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_linux_virtual_machine" "vm" {
  name = "vm"
  identity {
    type = "SystemAssigned"
  }
  boot_diagnostics {
    storage_account_uri = azurerm_storage_account.diag.primary_blob_endpoint
  }
}

resource "azurerm_storage_account" "disks" {
  name                     = "disks"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_virtual_machine" "legacy" {
  name = "legacy"
  identity {
    type = "SystemAssigned"
  }
  storage_os_disk {
    name          = "os"
    vhd_uri       = "${azurerm_storage_account.disks.primary_blob_endpoint}vhds/os.vhd"
    create_option = "FromImage"
  }
}
