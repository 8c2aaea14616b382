// Registry modules that `bicep restore` has not put in the cache: one note for the file.
module storage 'br/public:avm/res/storage/storage-account:0.9.1' = {
  name: 'storage'
  params: {
    name: 'stdata'
  }
}

module vault 'br/public:avm/res/key-vault/vault:0.6.2' = {
  name: 'vault'
  params: {
    name: 'kv-data'
  }
}

// A template spec is no registry module: not followed, no note.
module spec 'ts:00000000-0000-0000-0000-000000000000/rg-specs/storage:1.0' = {
  name: 'spec'
  params: {
    name: 'stspec'
  }
}
