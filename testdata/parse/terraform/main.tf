# Fixture for the Terraform lowering tests: positions are asserted, edit with care.
variable "db_password" {
  type      = string
  sensitive = true
}

variable "tags" {
  type    = map(string)
  default = { env = "dev" }
}

locals {
  prefix = "app-${var.env}" // trailing comment
  conn   = "Server=tcp:x;Password=${var.db_password}"
}

/* a block
   comment */
resource "azurerm_linux_function_app" "fn" {
  name = "${local.prefix}-fn"
  app_settings = {
    "AzureWebJobsStorage" = azurerm_storage_account.sa.primary_connection_string
    FUNCTIONS_WORKER      = "dotnet"
    KEY                   = "#not a comment"
  }
  connection_string {
    name  = "Db"
    type  = "SQLAzure"
    value = "Server=tcp:x;Password=hunter2"
  }
  identity {
    type         = "SystemAssigned, UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.id.id]
  }
}

resource "azurerm_storage_account" "sa" {
  name                      = "sa${random_string.s.result}"
  shared_access_key_enabled = true
  tags                      = var.tags
}

resource "azurerm_linux_web_app" "sys" {
  identity {
    type = "SystemAssigned"
  }
  site_config {}
  site_config {}
}

resource "azurerm_windows_web_app" "dyn" {
  identity {
    type = var.identity_type
  }
}

resource "azurerm_windows_web_app" "dynblock" {
  dynamic "identity" {
    for_each = var.ids
    content {
      type = "UserAssigned"
    }
  }
}

resource "azurerm_role_assignment" "ra" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "Owner"
  principal_id         = azurerm_linux_function_app.fn.identity[0].principal_id
  principal_type       = "ServicePrincipal"
}

resource "azurerm_role_definition" "rd" {
  name  = "custom"
  scope = data.azurerm_subscription.current.id
  permissions {
    actions      = ["*"]
    data_actions = ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]
  }
  assignable_scopes = [data.azurerm_subscription.current.id]
}

data "azurerm_subscription" "current" {}

output "key" {
  value     = azurerm_storage_account.sa.primary_access_key
  sensitive = true
}

output "script" {
  value = <<-EOT
    echo ${var.env} # not a comment
  EOT
}
