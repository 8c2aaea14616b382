resource "azuread_application_password" "app" {
  application_id = azuread_application.app.id
}

# The credential's id and expiry are not secrets.
output "app" {
  value = azuread_application_password.app.key_id
}

output "expires" {
  value = azuread_application_password.app.end_date
}
