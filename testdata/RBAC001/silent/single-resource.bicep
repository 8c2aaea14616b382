// On one resource: Contributor writes that resource (what deploying it needs); Key Vault
// Administrator for the Backup Management Service is what Azure Backup of VMs with Azure Disk
// Encryption documents as required (rules/services.tsv).
param principalId string
param backupManagementServiceApplicationObjectId string

resource kv 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: 'kv-ade'
}

resource contributor 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(kv.id, principalId, 'contributor')
  scope: kv
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b24988ac-6180-42a0-ab88-20f7382dd24c')
    principalId: principalId
  }
}

resource backup 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(kv.id, 'backup', 'kv-admin')
  scope: kv
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '00482a5a-887f-4fb3-b363-3b7fe8e74483')
    principalId: backupManagementServiceApplicationObjectId
  }
}
