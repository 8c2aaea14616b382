resource "azurerm_linux_virtual_machine" "db" {
  name        = "db"
  custom_data = base64encode(<<-EOT
    #!/bin/bash
    docker run -d -e MYSQL_ROOT_PASSWORD=my-secret-pw mariadb:10.11
  EOT
  )
}
