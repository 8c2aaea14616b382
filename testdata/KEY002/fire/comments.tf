# client_secret = Fake~8Q~tfc0mment.s3cret
// admin_password = Fake-Tf-Comment-Pa55
/*
  api_key: Fake-Tf-Comment-K3y-0001
*/
variable "location" {
  type = string
}
