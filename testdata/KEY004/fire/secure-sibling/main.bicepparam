using './main.bicep'

param tokenValue = 'Fake-Sibling-Bicep-88y'
param location = 'westeurope'
