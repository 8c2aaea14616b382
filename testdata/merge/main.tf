resource "azurerm_linux_function_app" "app" {
  app_settings = {
    "BLOBS" = "DefaultEndpointsProtocol=https;AccountName=fakeacct;EndpointSuffix=core.windows.net;AccountKey=p4exDpXWlEqUOdEyg2pzQgV5K2auTN9j/Ew5cxj5WTH4Wq72wLT2kWbDNUYJAtOmw3NhUdRLX+Zkk8dUOCImsw=="
  }
}
