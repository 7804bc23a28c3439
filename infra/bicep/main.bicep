// Raikoo on Azure (DESIGN §8): the five services as Container Apps from one image, with
// PostgreSQL flexible server, Service Bus, Blob Storage, Key Vault, Log Analytics and
// user-assigned managed identities. Deploy into an existing resource group:
//
//   az deployment group create -g <rg> -f infra/bicep/main.bicep \
//     -p infra/bicep/main.parameters.json -p image=<registry>/raikoo:<tag> \
//     -p postgresAdminPassword=<password> -p busUrl='amqps://user:pass@host:5671/vhost'
//
// ┌─ READ THIS ────────────────────────────────────────────────────────────────────────────┐
// │ The Azure Service Bus transport is a later issue. Until it lands, the services can only │
// │ talk over an AMQP 0.9.1 broker: `busUrl` MUST point at RabbitMQ (self-hosted, or a      │
// │ hosted RabbitMQ service), not at the Service Bus namespace deployed here.               │
// │ The Service Bus namespace, its queues/topics and the KEDA azure-servicebus scale rules  │
// │ are deployed and ready (busTransport='servicebus' selects those rules); with the        │
// │ default busTransport='rabbitmq' the runners scale on the RabbitMQ queue depth instead.  │
// └────────────────────────────────────────────────────────────────────────────────────────┘
//
// docs/deployment.md explains every parameter and RAIKOO_* variable.

targetScope = 'resourceGroup'

// ---- general ---------------------------------------------------------------------------

param location string = resourceGroup().location

@description('Short lowercase prefix for resource names (letters, digits, hyphens).')
@minLength(3)
@maxLength(10)
param namePrefix string = 'raikoo'

param tags object = {
  app: 'raikoo'
}

@description('The Raikoo image, e.g. myregistry.azurecr.io/raikoo:0.1.0 (built from the Dockerfile).')
param image string

@description('Azure Container Registry in this resource group holding the image; empty for a public image.')
param containerRegistryName string = ''

@allowed([
  'debug'
  'info'
  'warning'
  'error'
])
param logLevel string = 'info'

// ---- bus ---------------------------------------------------------------------------------

@description('RAIKOO_BUS_URL. Today an AMQP 0.9.1 (RabbitMQ) URL: amqp://user:pass@host:5672/vhost or amqps://…')
@secure()
param busUrl string

@description('Which broker the runners\' KEDA rules watch: rabbitmq (today) or servicebus (once its transport exists).')
@allowed([
  'rabbitmq'
  'servicebus'
])
param busTransport string = 'rabbitmq'

@description('RAIKOO_BUS_PREFIX: names the RabbitMQ exchange and queues; the same in every service.')
param busPrefix string = 'raikoo'

@description('RAIKOO_BUS_MAX_DELIVERIES, and maxDeliveryCount of the Service Bus queues.')
@minValue(1)
param busMaxDeliveries int = 5

// ---- database ----------------------------------------------------------------------------

param postgresAdminLogin string = 'raikoo'

@description('PostgreSQL administrator password (goes into the database-url Container App secret only).')
@secure()
param postgresAdminPassword string

param postgresDatabaseName string = 'raikoo'

@description('Each gateway or scheduler replica may open up to 20 connections: size the server (max_connections) for gatewayMaxReplicas + schedulerMaxReplicas.')
param postgresSkuName string = 'Standard_B2s'

@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'Burstable'

// ---- other resources -------------------------------------------------------------------

param storageSkuName string = 'Standard_LRS'
param keyVaultPurgeProtection bool = false

// ---- scaling -----------------------------------------------------------------------------

@minValue(0)
param gatewayMinReplicas int = 1
param gatewayMaxReplicas int = 5

@description('CIDR ranges allowed to reach the gateway, e.g. ["203.0.113.0/24"]; empty: any. Every API call needs a key or a signed-in session either way.')
param gatewayAllowedIpRanges array = []

@description('Concurrent HTTP requests per gateway replica before another is added (SSE streams count).')
param gatewayConcurrentRequests int = 50

@description('The first owner key of the default organization (rk_<10 lowercase letters or digits>_<secret>; `raikoo keys generate` makes one). Sign in or create further keys with it.')
@secure()
param bootstrapAdminKey string

@description('OpenID Connect issuer for console sign-in (e.g. https://login.microsoftonline.com/<tenant-id>/v2.0); empty: API keys only.')
param oidcIssuer string = ''

@description('The OIDC application (client) id registered for the console.')
param oidcClientId string = ''

@description('The OIDC client secret (empty for a public client using PKCE only).')
@secure()
param oidcClientSecret string = ''

@description('Accept the ID token email as verified without email_verified (single-tenant Entra ID).')
param oidcTrustEmail bool = false

@minValue(1)
param schedulerMinReplicas int = 1
param schedulerMaxReplicas int = 2

@description('0 lets the op-runner scale to zero; every run then waits for a cold start.')
@minValue(0)
param opRunnerMinReplicas int = 1
param opRunnerMaxReplicas int = 10

@description('Ready programmatic operations per op-runner replica.')
param opRunnerQueueLength int = 20

@description('0 lets the ai-runner scale to zero: a cold start is small next to an LLM call.')
@minValue(0)
param aiRunnerMinReplicas int = 0
param aiRunnerMaxReplicas int = 10

@description('Ready AI operations per ai-runner replica.')
param aiRunnerQueueLength int = 10

// ---- names -------------------------------------------------------------------------------

var suffix = take(uniqueString(resourceGroup().id, namePrefix), 6)
var names = {
  logAnalytics: 'log-${namePrefix}-${suffix}'
  environment: 'cae-${namePrefix}-${suffix}'
  postgres: 'psql-${namePrefix}-${suffix}'
  serviceBus: 'sb-${namePrefix}-${suffix}'
  storage: take('st${toLower(replace(namePrefix, '-', ''))}${uniqueString(resourceGroup().id, namePrefix)}', 24)
  keyVault: 'kv-${namePrefix}-${suffix}'
}

// ---- infrastructure ------------------------------------------------------------------------

module containerEnv 'modules/environment.bicep' = {
  name: 'environment'
  params: {
    location: location
    tags: tags
    logAnalyticsName: names.logAnalytics
    environmentName: names.environment
  }
}

module identities 'modules/identities.bicep' = {
  name: 'identities'
  params: {
    location: location
    tags: tags
    namePrefix: namePrefix
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    location: location
    tags: tags
    serverName: names.postgres
    databaseName: postgresDatabaseName
    administratorLogin: postgresAdminLogin
    administratorPassword: postgresAdminPassword
    skuName: postgresSkuName
    skuTier: postgresSkuTier
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    location: location
    tags: tags
    namespaceName: names.serviceBus
    maxDeliveryCount: busMaxDeliveries
    workloadPrincipalId: identities.outputs.workloadPrincipalId
    scalerPrincipalId: identities.outputs.scalerPrincipalId
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    tags: tags
    accountName: names.storage
    skuName: storageSkuName
    workloadPrincipalId: identities.outputs.workloadPrincipalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    tags: tags
    vaultName: names.keyVault
    enablePurgeProtection: keyVaultPurgeProtection
    secretsPrincipalId: identities.outputs.secretsPrincipalId
  }
}

var useRegistry = !empty(containerRegistryName)

module acrPull 'modules/acr-pull.bicep' = if (useRegistry) {
  name: 'acr-pull'
  params: {
    registryName: containerRegistryName
    principalIds: [
      identities.outputs.workloadPrincipalId
      identities.outputs.secretsPrincipalId
    ]
  }
}

var registryServer = useRegistry ? '${containerRegistryName}${environment().suffixes.acrLoginServer}' : ''

// ---- service configuration (RAIKOO_* variables; see docs/deployment.md) ---------------

// The database URL is assembled here so the password reaches the apps only as a secret.
// asyncpg takes TLS as ?ssl=require (Azure requires TLS); the password is URL-encoded.
var databaseUrl = 'postgresql+asyncpg://${postgresAdminLogin}:${uriComponent(postgresAdminPassword)}@${postgres.outputs.fqdn}:5432/${postgres.outputs.databaseName}?ssl=require'

var logEnv = [
  { name: 'RAIKOO_LOG_LEVEL', value: logLevel }
  { name: 'RAIKOO_LOG_FORMAT', value: 'json' }
]
var busEnv = [
  { name: 'RAIKOO_BUS_URL', secretRef: 'bus-url' }
  { name: 'RAIKOO_BUS_PREFIX', value: busPrefix }
  { name: 'RAIKOO_BUS_MAX_DELIVERIES', value: string(busMaxDeliveries) }
]
// Only the gateway and the scheduler: runners never touch PostgreSQL.
var databaseEnv = [
  { name: 'RAIKOO_DATABASE_URL', secretRef: 'database-url' }
  // Both migrate at start; a PostgreSQL advisory lock serialises concurrent replicas.
  { name: 'RAIKOO_AUTO_MIGRATE', value: 'true' }
]
// Artifacts (claim-check payloads, downloaded files): the workload identity signs in.
var blobEnv = [
  { name: 'RAIKOO_BLOB_URL', value: 'azure://${storage.outputs.containerName}' }
  { name: 'RAIKOO_BLOB_ACCOUNT_URL', value: storage.outputs.blobEndpoint }
]
// AZURE_CLIENT_ID tells azure-identity's DefaultAzureCredential which identity to use.
var workloadIdentityEnv = [
  { name: 'AZURE_CLIENT_ID', value: identities.outputs.workloadClientId }
]

var busSecrets = {
  'bus-url': busUrl
}
var databaseSecrets = {
  'database-url': databaseUrl
}

// KEDA rules on the depth of each runner's ready queue. RabbitMQ names its queues
// <prefix>.<channel> and the rule reads the broker address from the bus-url secret;
// Service Bus queues are named after the channel and the scaler identity reads them.
var runnerQueue = {
  opRunner: 'ops.ready.programmatic'
  aiRunner: 'ops.ready.ai'
}

var serviceBusRule = {
  opRunner: {
    name: 'ops-ready-programmatic-depth'
    custom: {
      type: 'azure-servicebus'
      identity: identities.outputs.scalerId
      metadata: {
        namespace: serviceBus.outputs.namespaceName
        queueName: runnerQueue.opRunner
        messageCount: string(opRunnerQueueLength)
      }
    }
  }
  aiRunner: {
    name: 'ops-ready-ai-depth'
    custom: {
      type: 'azure-servicebus'
      identity: identities.outputs.scalerId
      metadata: {
        namespace: serviceBus.outputs.namespaceName
        queueName: runnerQueue.aiRunner
        messageCount: string(aiRunnerQueueLength)
      }
    }
  }
}

var rabbitMqRule = {
  opRunner: {
    name: 'ops-ready-programmatic-depth'
    custom: {
      type: 'rabbitmq'
      metadata: {
        protocol: 'amqp'
        mode: 'QueueLength'
        value: string(opRunnerQueueLength)
        queueName: '${busPrefix}.${runnerQueue.opRunner}'
      }
      auth: [
        { secretRef: 'bus-url', triggerParameter: 'host' }
      ]
    }
  }
  aiRunner: {
    name: 'ops-ready-ai-depth'
    custom: {
      type: 'rabbitmq'
      metadata: {
        protocol: 'amqp'
        mode: 'QueueLength'
        value: string(aiRunnerQueueLength)
        queueName: '${busPrefix}.${runnerQueue.aiRunner}'
      }
      auth: [
        { secretRef: 'bus-url', triggerParameter: 'host' }
      ]
    }
  }
}

var runnerScaleRules = busTransport == 'servicebus' ? serviceBusRule : rabbitMqRule

// The scaler identity is attached only where a rule uses it.
var runnerIdentityIds = busTransport == 'servicebus' ? [identities.outputs.workloadId, identities.outputs.scalerId] : [identities.outputs.workloadId]

var schedulerCpuRule = {
  name: 'cpu'
  custom: {
    type: 'cpu'
    metadata: {
      type: 'Utilization'
      value: '70'
    }
  }
}

// The gateway's credentials: the bootstrap owner key, and OIDC sign-in when configured.
var gatewaySecrets = union(
  { 'bootstrap-admin-key': bootstrapAdminKey },
  empty(oidcClientSecret) ? {} : { 'oidc-client-secret': oidcClientSecret }
)
var gatewayAuthEnv = concat(
  [
    { name: 'RAIKOO_BOOTSTRAP_ADMIN_KEY', secretRef: 'bootstrap-admin-key' }
    { name: 'RAIKOO_OIDC_ISSUER', value: oidcIssuer }
    { name: 'RAIKOO_OIDC_CLIENT_ID', value: oidcClientId }
    { name: 'RAIKOO_OIDC_TRUST_EMAIL', value: string(oidcTrustEmail) }
  ],
  empty(oidcClientSecret) ? [] : [{ name: 'RAIKOO_OIDC_CLIENT_SECRET', secretRef: 'oidc-client-secret' }]
)

// ---- the five services ---------------------------------------------------------------------

module gateway 'modules/container-app.bicep' = {
  name: 'app-gateway'
  dependsOn: [acrPull]
  params: {
    name: '${namePrefix}-gateway'
    location: location
    tags: tags
    environmentId: containerEnv.outputs.environmentId
    image: image
    service: 'gateway'
    identityIds: [identities.outputs.workloadId]
    registryServer: registryServer
    registryIdentityId: identities.outputs.workloadId
    secrets: union(busSecrets, databaseSecrets, gatewaySecrets)
    env: concat(logEnv, busEnv, databaseEnv, blobEnv, workloadIdentityEnv, gatewayAuthEnv, [
      { name: 'RAIKOO_HOST', value: '0.0.0.0' }
      { name: 'RAIKOO_PORT', value: '8000' }
      // Behind the Container Apps ingress (HTTPS): session cookies are Secure.
      { name: 'RAIKOO_COOKIE_SECURE', value: 'true' }
    ])
    ingress: {
      external: true
      targetPort: 8000
    }
    ingressAllowedIpRanges: gatewayAllowedIpRanges
    healthPort: 8000
    minReplicas: gatewayMinReplicas
    maxReplicas: gatewayMaxReplicas
    scaleRules: [
      {
        name: 'http-concurrency'
        http: {
          metadata: {
            concurrentRequests: string(gatewayConcurrentRequests)
          }
        }
      }
    ]
  }
}

module scheduler 'modules/container-app.bicep' = {
  name: 'app-scheduler'
  dependsOn: [acrPull]
  params: {
    name: '${namePrefix}-scheduler'
    location: location
    tags: tags
    environmentId: containerEnv.outputs.environmentId
    image: image
    service: 'scheduler'
    identityIds: [identities.outputs.workloadId]
    registryServer: registryServer
    registryIdentityId: identities.outputs.workloadId
    secrets: union(busSecrets, databaseSecrets)
    env: concat(logEnv, busEnv, databaseEnv, blobEnv, workloadIdentityEnv, [
      { name: 'RAIKOO_HEALTH_HOST', value: '0.0.0.0' }
      { name: 'RAIKOO_HEALTH_PORT', value: '8081' }
    ])
    healthPort: 8081
    // Replicas share the work safely (one run's work is serialised by a row lock); more
    // than one is for availability, and extra ones follow CPU.
    minReplicas: schedulerMinReplicas
    maxReplicas: max(schedulerMinReplicas, schedulerMaxReplicas)
    scaleRules: schedulerMaxReplicas > schedulerMinReplicas ? [schedulerCpuRule] : []
  }
}

module opRunner 'modules/container-app.bicep' = {
  name: 'app-op-runner'
  dependsOn: [acrPull]
  params: {
    name: '${namePrefix}-op-runner'
    location: location
    tags: tags
    environmentId: containerEnv.outputs.environmentId
    image: image
    service: 'op-runner'
    identityIds: runnerIdentityIds
    registryServer: registryServer
    registryIdentityId: identities.outputs.workloadId
    secrets: busSecrets
    env: concat(logEnv, busEnv, blobEnv, workloadIdentityEnv, [
      { name: 'RAIKOO_HEALTH_HOST', value: '0.0.0.0' }
      { name: 'RAIKOO_HEALTH_PORT', value: '8081' }
    ])
    healthPort: 8081
    minReplicas: opRunnerMinReplicas
    maxReplicas: opRunnerMaxReplicas
    scaleRules: [runnerScaleRules.opRunner]
  }
}

module aiRunner 'modules/container-app.bicep' = {
  name: 'app-ai-runner'
  dependsOn: [acrPull]
  params: {
    name: '${namePrefix}-ai-runner'
    location: location
    tags: tags
    environmentId: containerEnv.outputs.environmentId
    image: image
    service: 'ai-runner'
    identityIds: runnerIdentityIds
    registryServer: registryServer
    registryIdentityId: identities.outputs.workloadId
    secrets: busSecrets
    env: concat(logEnv, busEnv, blobEnv, workloadIdentityEnv, [
      { name: 'RAIKOO_HEALTH_HOST', value: '0.0.0.0' }
      { name: 'RAIKOO_HEALTH_PORT', value: '8082' }
    ])
    healthPort: 8082
    minReplicas: aiRunnerMinReplicas
    maxReplicas: aiRunnerMaxReplicas
    scaleRules: [runnerScaleRules.aiRunner]
    // LLM calls are long: give in-flight ones time to finish on scale-in.
    terminationGracePeriodSeconds: 300
  }
}

module secretsProxy 'modules/container-app.bicep' = {
  name: 'app-secrets-proxy'
  dependsOn: [acrPull]
  params: {
    name: '${namePrefix}-secrets-proxy'
    location: location
    tags: tags
    environmentId: containerEnv.outputs.environmentId
    image: image
    service: 'secrets-proxy'
    // Its own identity: the only one that may read Key Vault secrets.
    identityIds: [identities.outputs.secretsId]
    registryServer: registryServer
    registryIdentityId: identities.outputs.secretsId
    env: concat(logEnv, [
      { name: 'RAIKOO_HOST', value: '0.0.0.0' }
      { name: 'RAIKOO_PORT', value: '8083' }
      { name: 'RAIKOO_KEY_VAULT_URL', value: keyVault.outputs.vaultUri }
      { name: 'AZURE_CLIENT_ID', value: identities.outputs.secretsClientId }
    ])
    ingress: {
      external: false
      targetPort: 8083
    }
    healthPort: 8083
    minReplicas: 1
    maxReplicas: 3
    scaleRules: [
      {
        name: 'http-concurrency'
        http: {
          metadata: {
            concurrentRequests: '100'
          }
        }
      }
    ]
  }
}

// ---- outputs -------------------------------------------------------------------------------

output gatewayUrl string = 'https://${gateway.outputs.fqdn}'
output secretsProxyInternalFqdn string = secretsProxy.outputs.fqdn
output postgresFqdn string = postgres.outputs.fqdn
output serviceBusNamespace string = serviceBus.outputs.namespaceName
output serviceBusQueues array = serviceBus.outputs.queueNames
output serviceBusTopics array = serviceBus.outputs.topicNames
output storageBlobEndpoint string = storage.outputs.blobEndpoint
output artifactsContainer string = storage.outputs.containerName
output keyVaultUri string = keyVault.outputs.vaultUri
output workloadIdentityClientId string = identities.outputs.workloadClientId
output secretsIdentityClientId string = identities.outputs.secretsClientId
output logAnalyticsWorkspaceId string = containerEnv.outputs.logAnalyticsWorkspaceId
