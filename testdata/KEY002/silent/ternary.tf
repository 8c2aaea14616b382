variable "prod" {
  type = bool
}

variable "smtp_password" {
  type      = string
  sensitive = true
}

locals {
  smtp_password = var.prod ? var.smtp_password : ""
}
