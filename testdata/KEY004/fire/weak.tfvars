admin_username = "azureuser"
admin_password = "pass@word1"
