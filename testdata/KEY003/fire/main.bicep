@description('SQL administrator password')
@secure()
param administratorLoginPassword string = 'Fake-Sql-Pa55word!'

param storageKey string = 'FAKEc3RvcmFnZWtleWZha2VzdG9yYWdla2V5ZmFrZQ=='

output ok bool = true
