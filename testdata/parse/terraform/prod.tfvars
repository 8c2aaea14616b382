# production values
location    = "westeurope"
db_password = "S3cr3t-Passw0rd!"
ids         = ["a", "b"]
