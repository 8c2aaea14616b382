resource "azurerm_storage_account" "sa" {
  name                     = "stkeylessdemo"
  resource_group_name      = "rg-demo"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

locals {
  storage_conn = azurerm_storage_account.sa.primary_connection_string
}

output "storage_key" {
  value = azurerm_storage_account.sa.primary_access_key
}

output "storage_connection_string" {
  value     = local.storage_conn
  sensitive = true
}

output "kube_config" {
  value = azurerm_kubernetes_cluster.aks.kube_config_raw
}
