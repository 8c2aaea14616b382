# client_secret = var.client_secret
// admin_password = random_password.admin.result
/*
  api_key: azurerm_cognitive_account.ai.primary_access_key
  password = changeme
*/
variable "location" {
  type = string
}
