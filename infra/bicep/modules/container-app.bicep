// One Raikoo service as a Container App. Every service runs the same image; the container's
// argument picks the service (the image's entrypoint is `raikoo service`).

param name string
param location string
param tags object
param environmentId string
param image string

@allowed([
  'gateway'
  'scheduler'
  'op-runner'
  'ai-runner'
  'secrets-proxy'
])
param service string

@description('Resource IDs of the user-assigned identities the app runs with.')
param identityIds array

@description('Registry login server; empty for a public image.')
param registryServer string = ''

@description('Identity (resource ID) that pulls from registryServer.')
param registryIdentityId string = ''

@description('Container environment: {name, value} or {name, secretRef}.')
param env array

@description('Container App secrets as name -> value.')
@secure()
param secrets object = {}

@description('{} for no ingress, else {external: bool, targetPort: int}.')
param ingress object = {}

@description('CIDR ranges allowed through the ingress; empty admits everyone.')
param ingressAllowedIpRanges array = []

@description('Port serving /healthz and /readyz (the API port for services with one).')
param healthPort int

@minValue(0)
param minReplicas int

@minValue(1)
param maxReplicas int

param scaleRules array = []

@description('vCPU as a string, e.g. "0.5" (Consumption pairs 0.5 vCPU with 1Gi).')
param cpu string = '0.5'
param memory string = '1Gi'

@description('Time between SIGTERM and SIGKILL; in-flight operations finish or are redelivered.')
param terminationGracePeriodSeconds int = 30

var ingressConfig = {
  external: ingress.?external ?? false
  targetPort: ingress.?targetPort ?? healthPort
  transport: 'http'
  allowInsecure: false
  ipSecurityRestrictions: [
    for (cidr, i) in ingressAllowedIpRanges: {
      name: 'allow-${i}'
      action: 'Allow'
      ipAddressRange: cidr
    }
  ]
  traffic: [
    {
      latestRevision: true
      weight: 100
    }
  ]
}

var registries = [
  {
    server: registryServer
    identity: registryIdentityId
  }
]

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: name
  location: location
  tags: union(tags, { 'raikoo-service': service })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: toObject(identityIds, id => id, id => {})
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      secrets: [
        for secret in items(secrets): {
          name: secret.key
          value: secret.value
        }
      ]
      ingress: empty(ingress) ? null : ingressConfig
      registries: empty(registryServer) ? [] : registries
    }
    template: {
      terminationGracePeriodSeconds: terminationGracePeriodSeconds
      containers: [
        {
          name: service
          image: image
          args: [
            service
          ]
          env: env
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          probes: [
            {
              // Start-up includes connecting to the bus and, for the gateway and the
              // scheduler, migrating the schema: allow about 2.5 minutes (Container Apps
              // caps failureThreshold at 10).
              type: 'Startup'
              httpGet: {
                path: '/healthz'
                port: healthPort
              }
              initialDelaySeconds: 5
              periodSeconds: 15
              failureThreshold: 10
            }
            {
              type: 'Liveness'
              httpGet: {
                path: '/healthz'
                port: healthPort
              }
              periodSeconds: 15
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/readyz'
                port: healthPort
              }
              periodSeconds: 10
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: scaleRules
      }
    }
  }
}

output name string = app.name
output fqdn string = app.properties.configuration.?ingress.?fqdn ?? ''
