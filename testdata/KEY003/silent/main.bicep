@description('SQL administrator password')
@secure()
param administratorLoginPassword string

@secure()
param storageKey string

param location string = 'westeurope'
