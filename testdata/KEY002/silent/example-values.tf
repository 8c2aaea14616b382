# True placeholders and names of other settings are not values to report.
variable "aad_secret" {
  type      = string
  sensitive = true
}

resource "azurerm_linux_web_app" "orders" {
  name                = "app-orders"
  resource_group_name = "rg-orders"
  location            = "westeurope"
  service_plan_id     = azurerm_service_plan.orders.id

  identity {
    type = "SystemAssigned"
  }

  auth_settings {
    enabled = true
    active_directory {
      client_id     = "aadclientid"
      client_secret = var.aad_secret
    }
    google {
      client_id     = "googleclientid"
      client_secret = "<your-client-secret>"
    }
    facebook {
      app_id     = "facebookappid"
      app_secret = "REPLACE_ME"
    }
    github {
      client_id     = "githubclientid"
      client_secret = "yourclientsecret"
    }
    twitter {
      consumer_key    = "twitterkey"
      consumer_secret = "$${TWITTER_SECRET}"
    }
  }

  app_settings = {
    DB_PASSWORD_SETTING = "adminPassword"
  }

  site_config {}
}
