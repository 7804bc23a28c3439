"""Webhooks in both directions, signed with the Standard Webhooks scheme: inbound hooks that
start runs, and outbound subscriptions whose deliveries a worker in the gateway sends."""
