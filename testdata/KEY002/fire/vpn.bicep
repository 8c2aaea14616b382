resource s2s 'Microsoft.Network/connections@2023-04-01' = {
  name: 'site-to-site'
  location: 'westeurope'
  properties: {
    connectionType: 'IPsec'
    virtualNetworkGateway1: { id: resourceId('Microsoft.Network/virtualNetworkGateways', 'gw') }
    localNetworkGateway2: { id: resourceId('Microsoft.Network/localNetworkGateways', 'onprem') }
    sharedKey: 'Xq7-vpn-Tunnel-Phrase-2024'
  }
}
