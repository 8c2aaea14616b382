variable "admin_password" {
  type        = string
  description = "Administrator password of the VM"
  default     = "Fake-Vm-Adm1n-Pa55!"
}

variable "api_token" {
  type      = string
  sensitive = true
  default   = "fake-tok3n"
}

variable "sql" {
  type = object({ login = string, password = string })
  default = {
    login    = "sqladmin"
    password = "Fake-Sql-Adm1n-Pa55!"
  }
}
