@secure()
param adminPassword string

var sqlConnection = 'Server=tcp:sql-demo.database.windows.net,1433;Database=orders;User ID=sqladmin;Password=${adminPassword};Encrypt=True'

output server string = 'sql-demo'
