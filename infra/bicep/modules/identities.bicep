// User-assigned identities. Three, so that each holds only what its holders need:
//   workload - gateway, scheduler, op-runner, ai-runner: Service Bus send/receive, blob data.
//   secrets  - secrets-proxy only: reads Key Vault secrets (DESIGN §2: the only reader).
//   scaler   - the KEDA azure-servicebus scale rules of the runners: reading a queue's
//              depth needs the Manage claim (Service Bus Data Owner), which the workload
//              identity must not have. Scoped to the two runner queues.

param location string
param tags object
param namePrefix string

resource workload 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${namePrefix}-workload'
  location: location
  tags: tags
}

resource secrets 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${namePrefix}-secrets'
  location: location
  tags: tags
}

resource scaler 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: 'id-${namePrefix}-scaler'
  location: location
  tags: tags
}

output workloadId string = workload.id
output workloadClientId string = workload.properties.clientId
output workloadPrincipalId string = workload.properties.principalId
output secretsId string = secrets.id
output secretsClientId string = secrets.properties.clientId
output secretsPrincipalId string = secrets.properties.principalId
output scalerId string = scaler.id
output scalerPrincipalId string = scaler.properties.principalId
