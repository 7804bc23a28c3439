"""Config and output models of the AI kinds: light (no SDK imports), so the gateway can
list and validate them."""
