variable "admin_password" {
  type        = string
  description = "Administrator password of the VM"
  sensitive   = true
}

variable "api_token" {
  type      = string
  sensitive = true
  default   = ""
}

variable "client_secret" {
  type    = string
  default = null
}

variable "password_length" {
  type    = number
  default = 24
}

variable "admin_password_secret_name" {
  type    = string
  default = "vm-admin-password"
}

variable "disable_password_authentication" {
  type    = bool
  default = true
}

variable "location" {
  type    = string
  default = "westeurope"
}
