"""Gateway use cases, written as async functions over a connection (no HTTP here)."""
