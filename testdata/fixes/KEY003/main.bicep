@description('SQL administrator password')
@secure()
param administratorLoginPassword string

@secure()
param storageKey string

output ok bool = true
