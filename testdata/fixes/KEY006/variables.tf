variable "admin_password" {
  type        = string
  description = "Administrator password of the VM"
  sensitive = true
}

variable "api_token" {
  type      = string
  sensitive = true
}

variable "sql" {
  type = object({ login = string, password = string })
  sensitive = true
}
