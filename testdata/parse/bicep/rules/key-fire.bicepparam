using './main.bicep'

param location = 'westeurope'
param sqlAdminPassword = 'Fake-Bicep-Sql-Pa55!'
