param principalId string

// Reader, passed to a module under a relative path without `./`.
module readerAssignment 'modules/role.bicep' = {
  name: 'reader-assignment'
  params: {
    principalId: principalId
    roleId: 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
  }
}

// A registry module is not read.
module registry 'br/public:avm/ptn/authorization/role-assignment:0.1.0' = {
  name: 'registry'
  params: {
    principalId: principalId
    roleDefinitionIdOrName: 'Reader'
  }
}
