from raikoo_common.settings import ServiceSettings


class GatewaySettings(ServiceSettings):
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 1024 * 1024
    """Larger request bodies are refused with 413."""
    sse_keepalive_seconds: float = 15.0
