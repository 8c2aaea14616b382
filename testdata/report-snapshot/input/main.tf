# The fixed scan of the report snapshots (tests/it/report_snapshots.rs): one file per dialect,
# findings of every family, a fix, a note, a suppressed and a baselined finding.

resource "azurerm_linux_web_app" "app" {
  name = "app"
  app_settings = {
    "Db" = "Server=tcp:db1.database.windows.net,1433;Database=app;User ID=app;Password=Fake-Sql-Pa55word!;Encrypt=True"
  }
}

resource "azurerm_servicebus_namespace" "sb" {
  name               = "sb"
  local_auth_enabled = true
}

resource "azurerm_role_assignment" "owner" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Owner"
  principal_id         = "11111111-1111-1111-1111-111111111111"
}
