using './main.bicep'

param tokenValue = az.getSecret('00000000-0000-0000-0000-000000000000', 'rg', 'kv', 'token')
param location = 'westeurope'
