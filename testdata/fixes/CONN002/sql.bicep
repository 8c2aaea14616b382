@secure()
param adminPassword string

var sqlConnection = 'Server=tcp:sql-demo.database.windows.net,1433;Database=orders;Encrypt=True;Authentication=Active Directory Default'

output server string = 'sql-demo'
