resource "azurerm_linux_web_app" "app" {
  name = "app"
  identity {
    type = "SystemAssigned"
  }
}

output "repository_url" {
  value = "https://${azurerm_linux_web_app.app.site_credential.0.name}:${azurerm_linux_web_app.app.site_credential.0.password}@app.scm.azurewebsites.net/app.git"
}
