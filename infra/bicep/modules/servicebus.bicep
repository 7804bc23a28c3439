// Azure Service Bus namespace (Standard) with one entity per bus channel
// (libs/raikoo_common/src/raikoo_common/messages/channels.py):
//   work channels      -> queues (competing consumers);
//   broadcast channels -> topics (every subscribing process gets its own copy).
//
// NOT YET USED FOR MESSAGES: the Service Bus transport is a later issue. Until it lands the
// services talk over RabbitMQ (RAIKOO_BUS_URL=amqp://...), and these entities stand ready,
// as do the KEDA azure-servicebus scale rules (main.bicep, busTransport='servicebus').
//
// On Service Bus, maxDeliveryCount and dead-lettering are properties of queues and of topic
// *subscriptions*, not of topics. A broadcast subscription belongs to one process (as the
// RabbitMQ transport's exclusive queue does), so the transport will create it at start with
// autoDeleteOnIdle and the same maxDeliveryCount / dead-lettering settings as the queues;
// none is declared here. Creating subscriptions needs the Manage claim on the topic: grant
// it (Data Owner scoped to the two topics) in the change that adds the transport.
//
// requiresSession cannot be changed on an existing queue. It stays off: the scheduler
// serialises one run's work with a row lock in PostgreSQL, not with sessions.

param location string
param tags object
param namespaceName string

@description('Deliveries before a message is dead-lettered; keep equal to RAIKOO_BUS_MAX_DELIVERIES.')
@minValue(1)
param maxDeliveryCount int = 5

@description('Principal that sends and receives (the workload identity).')
param workloadPrincipalId string

@description('Principal of the KEDA scale rules: Data Owner on the runner queues only.')
param scalerPrincipalId string

var workQueues = [
  'runs.requested'
  'ops.ready.programmatic'
  'ops.ready.ai'
  'ops.finished'
  'ops.progress'
]
var runnerQueues = [
  'ops.ready.programmatic'
  'ops.ready.ai'
]
var broadcastTopics = [
  'runs.events'
  'ops.control'
]

var roles = {
  dataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419'
  dataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  dataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
}

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    minimumTlsVersion: '1.2'
    // Identities only: no shared access keys to leak.
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource queues 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = [
  for name in workQueues: {
    parent: namespace
    name: name
    properties: {
      maxDeliveryCount: maxDeliveryCount
      deadLetteringOnMessageExpiration: true
      // The longest Service Bus allows; the transport must renew it for longer operations.
      lockDuration: 'PT5M'
      defaultMessageTimeToLive: 'P14D'
      maxSizeInMegabytes: 1024
      requiresSession: false
      requiresDuplicateDetection: false
      enablePartitioning: false
    }
  }
]

resource topics 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = [
  for name in broadcastTopics: {
    parent: namespace
    name: name
    properties: {
      // Live notifications: a subscriber that is gone does not need yesterday's events
      // (the gateway replays a run's history from PostgreSQL).
      defaultMessageTimeToLive: 'PT1H'
      maxSizeInMegabytes: 1024
      requiresDuplicateDetection: false
      enablePartitioning: false
    }
  }
]

resource workloadSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace.id, workloadPrincipalId, roles.dataSender)
  scope: namespace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.dataSender)
    principalId: workloadPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource workloadReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace.id, workloadPrincipalId, roles.dataReceiver)
  scope: namespace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.dataReceiver)
    principalId: workloadPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// The runner queues again, by name, to scope the scaler's role to them alone.
resource runnerQueueRefs 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' existing = [
  for name in runnerQueues: {
    parent: namespace
    name: name
  }
]

resource scalerOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (name, i) in runnerQueues: {
    name: guid(runnerQueueRefs[i].id, scalerPrincipalId, roles.dataOwner)
    scope: runnerQueueRefs[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.dataOwner)
      principalId: scalerPrincipalId
      principalType: 'ServicePrincipal'
    }
    dependsOn: [
      queues
    ]
  }
]

output namespaceName string = namespace.name
output endpoint string = namespace.properties.serviceBusEndpoint
output queueNames array = workQueues
output topicNames array = broadcastTopics
