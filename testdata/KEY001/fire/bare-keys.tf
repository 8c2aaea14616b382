variable "diagnostics_storage" {
  type    = string
  default = "mjMrS8QrXmUmAkBowUj7Dq9JpdbNucl3DZin5Z/Q/JEgRxD9aRHkzoRlBsJFGQfDbSWNscEMuDRFmMe3Rz4tAQ=="
}
