// The password is written here and passed to the module's secure parameter.
module sql './sql.bicep' = {
  name: 'sql'
  params: {
    name: 'sql-app'
    loginValue: 'Winter2024!Blue#Kite'
  }
}
