resource "azuread_application_password" "app" {
  application_id = azuread_application.app.id
}

resource "azuread_service_principal_password" "ci" {
  service_principal_id = azuread_service_principal.ci.id
}

# The outputs' names do not say so, but the values are client secrets.
output "app" {
  value = azuread_application_password.app.value
}

output "ci" {
  value     = azuread_service_principal_password.ci.value
  sensitive = true
}
