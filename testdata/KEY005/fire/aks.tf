resource "azurerm_kubernetes_cluster" "aks" {
  name = "aks-demo"
}

output "client_key" {
  value = azurerm_kubernetes_cluster.aks.kube_config.0.client_key
}

output "admin_key" {
  value = azurerm_kubernetes_cluster.aks.kube_admin_config[0].client_key
}

output "host" {
  value = azurerm_kubernetes_cluster.aks.kube_config.0.host
}
