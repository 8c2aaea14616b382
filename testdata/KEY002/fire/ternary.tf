variable "prod" {
  type = bool
}

locals {
  smtp_password = var.prod ? "Fake-Tern-Pa55word-1!" : "Fake-Tern-Pa55word-2!"
}
