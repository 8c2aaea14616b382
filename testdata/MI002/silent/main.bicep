resource pull 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: 'id-pull'
}
resource appId 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: 'id-app'
}

// The image-pull identity and the code's identity, named by AZURE_CLIENT_ID.
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
      appSettings: [
        {
          name: 'AZURE_CLIENT_ID'
          value: appId.properties.clientId
        }
      ]
    }
  }
}

// An identity-based connection names its identity.
resource func 'Microsoft.Web/sites@2022-09-01' = {
  name: 'func'
  location: 'westeurope'
  kind: 'functionapp'
  identity: {
    type: 'SystemAssigned, UserAssigned'
    userAssignedIdentities: {
      '${appId.id}': {}
    }
  }
  properties: {
    keyVaultReferenceIdentity: appId.id
    siteConfig: {
      appSettings: [
        {
          name: 'AzureWebJobsStorage__clientId'
          value: appId.properties.clientId
        }
      ]
    }
  }
}

// A container app reads AZURE_CLIENT_ID from its environment.
resource ca 'Microsoft.App/containerApps@2023-05-01' = {
  name: 'ca'
  location: 'westeurope'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${pull.id}': {}
      '${appId.id}': {}
    }
  }
  properties: {
    configuration: {
      registries: [
        {
          server: 'contoso.azurecr.io'
          identity: pull.id
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'app'
          image: 'contoso.azurecr.io/app:1'
          env: [
            {
              name: 'AZURE_CLIENT_ID'
              value: appId.properties.clientId
            }
          ]
        }
      ]
    }
  }
}

// System-assigned for the code; the one user-assigned identity only pulls images.
resource web 'Microsoft.Web/sites@2022-09-01' = {
  name: 'web'
  location: 'westeurope'
  identity: {
    type: 'SystemAssigned, UserAssigned'
    userAssignedIdentities: {
      '${pull.id}': {}
    }
  }
  properties: {
    siteConfig: {
      acrUseManagedIdentityCreds: true
      acrUserManagedIdentityID: pull.properties.clientId
    }
  }
}
