variable "prod" {
  type = bool
}

locals {
  both   = var.prod ? "os+yhdy5mgRpvTqaqVUUakoXLkTFnuN0smXUtOqMjpsxb5oIfgh3OvHcEFYLpHz73xDigPAvq8cb+AStxCICLQ==" : "os+yhdy5mgRpvTqaqVUUakoXLkTFnuN0smXUtOqMjpsxb5oIfgh3OvHcEFYLpHz73xDigPAvq8cb+AStxCICLQ=="
  interp = "${var.prod} 1lMn7/hlyjX1C3RH3AAmuxySPyYZeK/z8+ASbP8EBks= ${lower("1lMn7/hlyjX1C3RH3AAmuxySPyYZeK/z8+ASbP8EBks=")}"
}
