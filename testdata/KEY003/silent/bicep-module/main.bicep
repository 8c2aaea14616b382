@secure()
param adminPassword string

resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'kv-app'
}

// A secure parameter of the caller, and a Key Vault secret: nothing written here.
module sql './sql.bicep' = {
  name: 'sql'
  params: {
    name: 'sql-app'
    adminLogin: 'sqlAdministrator'
    loginValue: adminPassword
  }
}

module sql2 './sql.bicep' = {
  name: 'sql2'
  params: {
    name: 'sql-app2'
    loginValue: kv.getSecret('sql-password')
  }
}
