// Key Vault for secret values (DESIGN §6), RBAC-authorised. Only the secrets-proxy's identity
// may read secrets: no other service is granted anything here.
//
// Key Vault Secrets User is read-only. When the secrets-proxy learns to store secrets
// (written through it by the gateway), its identity needs Key Vault Secrets Officer instead.

param location string
param tags object
param vaultName string

@description('Purge protection cannot be turned off again once on; leave off for trial deployments.')
param enablePurgeProtection bool = false

@description('Principal granted Key Vault Secrets User (the secrets-proxy identity).')
param secretsPrincipalId string

var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    // The API refuses an explicit false; null leaves it off.
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

resource proxySecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, secretsPrincipalId, secretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser)
    principalId: secretsPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output vaultName string = vault.name
output vaultUri string = vault.properties.vaultUri
