resource pull 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: 'id-pull'
}
resource appId 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: 'id-app'
}

// Two user-assigned identities; the only one named is the image-pull identity.
resource site 'Microsoft.Web/sites@2022-09-01' = {
  name: 'app'
  location: 'westeurope'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${pull.id}': {}
      '${appId.id}': {}
    }
  }
  properties: {
    siteConfig: {
      acrUseManagedIdentityCreds: true
      acrUserManagedIdentityID: pull.properties.clientId
    }
  }
}

// System-assigned and two user-assigned; the Key Vault reference identity explains one of them.
resource func 'Microsoft.Web/sites@2022-09-01' = {
  name: 'func'
  location: 'westeurope'
  kind: 'functionapp'
  identity: {
    type: 'SystemAssigned, UserAssigned'
    userAssignedIdentities: {
      '${pull.id}': {}
      '${appId.id}': {}
    }
  }
  properties: {
    keyVaultReferenceIdentity: pull.id
  }
}
