variable "principal_id" {
  type = string
}

variable "scope" {
  type = string
}

variable "role" {
  type    = string
  default = "Reader"
}
