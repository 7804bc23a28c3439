"""The scheduler's domain: plans, records, states and retry timing, as plain data with no I/O."""
