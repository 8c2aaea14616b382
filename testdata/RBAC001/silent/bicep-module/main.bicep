param principalId string

// The module's default (Reader) and a data-plane role: nothing privileged is passed.
module readerAssignment './role.bicep' = {
  name: 'reader-assignment'
  params: {
    principalId: principalId
  }
}

module blobAssignment './role.bicep' = {
  name: 'blob-assignment'
  params: {
    principalId: principalId
    roleId: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  }
}

// A registry module is not read.
module registry 'br/public:avm/res/storage/storage-account:0.9.0' = {
  name: 'registry'
  params: {
    name: 'st'
  }
}
