resource "azurerm_virtual_network_gateway_connection" "s2s" {
  name                       = "site-to-site"
  location                   = "westeurope"
  resource_group_name        = "rg"
  type                       = "IPsec"
  virtual_network_gateway_id = "gw-id"
  local_network_gateway_id   = "onprem-id"
  shared_key                 = "Xq7-vpn-Tunnel-Phrase-2024"
}
