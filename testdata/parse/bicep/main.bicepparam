using './main.bicep'

param adminPassword = az.getSecret('00000000-0000-0000-0000-000000000000', 'rg', 'kv', 'admin-password')
param sqlPassword = 'Literal-Pa55word!'
param count = 3
var prefix = 'app'
param name = '${prefix}-web'
