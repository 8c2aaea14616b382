using 'main.bicep'

param adminPassword = 'Fake-Recover-Param-Pa55'
param settings = {
