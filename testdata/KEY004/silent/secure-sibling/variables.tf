variable "bootstrap_value" {
  type      = string
  sensitive = true
}

variable "location" {
  type = string
}
