resource regional 'Microsoft.CognitiveServices/accounts@2023-05-01' = {
  name: 'translate'
  location: 'westeurope'
  kind: 'TextTranslation'
  sku: { name: 'S1' }
  properties: {}
}

resource custom 'Microsoft.CognitiveServices/accounts@2023-05-01' = {
  name: 'vision'
  location: 'westeurope'
  kind: 'ComputerVision'
  sku: { name: 'S1' }
  properties: {
    customSubDomainName: 'contoso-vision'
  }
}
