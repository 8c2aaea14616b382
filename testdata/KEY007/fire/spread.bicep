param kind string
resource topic 'Microsoft.EventGrid/topics@2022-06-15' existing = {
  name: 'topic'
}
resource ep 'Microsoft.DigitalTwins/digitalTwinsInstances/endpoints@2023-01-31' = {
  name: 'dt/ep'
  properties: {
    endpointType: kind
    ...(kind == 'EventGrid'
      ? {
          authenticationType: 'KeyBased'
          accessKey1: topic.listKeys().key1
        }
      : {})
  }
}
