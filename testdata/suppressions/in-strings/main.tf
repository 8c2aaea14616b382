# `keyless:ignore` inside a string is string content, not a comment: it suppresses nothing.
locals {
  note = <<EOT
# keyless:ignore KEY,CONN -- inside a heredoc
EOT
  db_password = "Fake-InStr-Hcl-Pa55"
  other = "see # keyless:ignore KEY,CONN -- inside a string"
  admin_password = "Fake-InStr-Hcl-Pa55"
}
