import ipaddress

from pydantic import Field

from raikoo_common.settings import ServiceSettings

LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")
_ALL_INTERFACES = frozenset({"", "0.0.0.0", "::", "[::]"})  # noqa: S104 (names, not a bind)


class GatewaySettings(ServiceSettings):
    host: str = "127.0.0.1"
    port: int = 8000
    max_body_bytes: int = 1024 * 1024
    """Larger request bodies are refused with 413."""
    sse_keepalive_seconds: float = 15.0
    trusted_hosts: list[str] | None = Field(
        default=None,
        description=(
            "Host names (and IPs) clients use to reach the API; any other Host header is "
            "refused with 400, which stops DNS rebinding. '*.example.com' matches "
            'subdomains, "*" any host. JSON list in RAIKOO_TRUSTED_HOSTS. Unset: localhost, '
            "127.0.0.1, [::1] and the host the API listens on; a separate gateway process "
            "listening on all interfaces (0.0.0.0) accepts any host and warns at start."
        ),
    )
    allowed_origins: list[str] = Field(
        default_factory=list,
        description=(
            "Other web origins (scheme://host[:port]) whose pages may call the API, with "
            "CORS. A request whose Origin is neither one of these nor the API's own is "
            "refused with 403. JSON list in RAIKOO_ALLOWED_ORIGINS; default: none."
        ),
    )

    def resolved_trusted_hosts(self) -> list[str]:
        """The trusted-host list in force; ``["*"]`` accepts any host."""
        if self.trusted_hosts is not None:
            return self.trusted_hosts
        if self.host in _ALL_INTERFACES:
            # Embedded mode (the in-memory bus) is someone's own machine: localhost only.
            # A gateway process in a container is reached by names only its deployment knows.
            embedded = self.bus_url.startswith("memory:")
            return list(LOCAL_NAMES) if embedded else ["*"]
        return [*LOCAL_NAMES, _host_name(self.host)]


def _host_name(host: str) -> str:
    """An IPv6 address as a Host header writes it: in brackets."""
    try:
        return f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    except ValueError:
        return host
