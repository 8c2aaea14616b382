// Old settings, commented out but still in the file and its history:
// sqlPassword: Fake-Bicep-Comment-Pa55
// apiKey = Fake-Bicep-Comment-K3y-0001
/*
  clientSecret: Fake~8Q~bicepc0mment.s3cret
  token=Fake-Bicep-Comment-T0ken-01
*/
param location string = resourceGroup().location
