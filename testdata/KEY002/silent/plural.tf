locals {
  keys            = ["primary", "secondary"]
  storage_keys    = [azurerm_storage_account.a.primary_access_key, azurerm_storage_account.a.secondary_access_key]
  admin_passwords = [var.admin_password_1, var.admin_password_2]
  key_vault_keys  = ["storage", "sql"]
}
