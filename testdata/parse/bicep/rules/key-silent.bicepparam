using './main.bicep'

param location = 'westeurope'
param sqlAdminPassword = az.getSecret('00000000-0000-0000-0000-000000000000', 'rg', 'kv', 'sql-admin')
param passwordLength = 16
