// sqlPassword: adminPassword
// apiKey = kv.getSecret('apiKey')
/*
  clientSecret: app.outputs.clientSecret
  storageKey: sa.listKeys().keys[0].value
  password: <your-password>
  token = $(pipelineToken)
*/
param location string = resourceGroup().location
