from __future__ import annotations

import ipaddress
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field, SecretStr, field_validator

from raikoo_common.net.allowlist import AllowList, checked_entries, checked_org_entries
from raikoo_common.settings import ServiceSettings

if TYPE_CHECKING:
    from raikoo_gateway.auth.principal import Principal

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

    schedules_fire: bool = Field(
        default=True,
        description=(
            "Whether this gateway fires schedule ticks. Every replica may: the database lets "
            "each tick fire once. false: this replica fires none."
        ),
    )
    schedule_tick_seconds: float = Field(
        default=1.0, gt=0, description="How often ticks that fell due are looked for."
    )
    schedule_grace_seconds: float = Field(
        default=60.0,
        ge=0,
        description=(
            "How late a tick may fire and still count as on time; older ticks were missed "
            "and follow the schedule's policy (skip, or catch up)."
        ),
    )

    rate_limit_per_key: int = Field(
        default=1200,
        ge=0,
        description="Requests per minute one API key (or signed-in user) may make; 0: no limit",
    )
    rate_limit_per_org: int = Field(
        default=6000,
        ge=0,
        description="Requests per minute all callers of one organization may make; 0: no limit",
    )
    bootstrap_admin_key: SecretStr | None = Field(
        default=None,
        description=(
            "An API key (rk_<prefix>_<secret>, from `raikoo keys generate`) that the gateway "
            "makes an owner key of the default organization at start: how a deployment gets "
            "its first credential (embedded mode writes one to the data directory instead)"
        ),
    )
    oidc_issuer: str = Field(
        default="",
        description="The OIDC provider's issuer URL (its /.well-known/openid-configuration "
        "is read); empty: sign-in is off (API keys only)",
    )
    oidc_client_id: str = ""
    oidc_client_secret: SecretStr | None = None
    oidc_scopes: str = "openid email profile"
    oidc_trust_email: bool = Field(
        default=False,
        description="Take the ID token's email as verified even without email_verified "
        "(for a provider that omits it but owns its addresses, such as a single-tenant "
        "Microsoft Entra ID): an invitation to that address is then accepted at sign-in",
    )
    oidc_redirect_url: str = Field(
        default="",
        description="This gateway's /v1/auth/callback as the provider knows it; empty: derived "
        "from the request",
    )
    allow_org_creation: bool = Field(
        default=True,
        description="Whether a person signed in to the console may create organizations "
        "(they own what they create); false: only organizations that exist are joined, by "
        "invitation",
    )
    console_url: str = Field(
        default="/",
        description="Where sign-in sends the browser back to (the web console)",
    )
    ai_allow_hosts: list[str] = Field(
        default_factory=list,
        description="Private hosts provider connections may name (a local Ollama): the "
        "ai-runner's RAIKOO_AI_ALLOW_HOSTS, read here to refuse a blocked base URL when a "
        "connection is stored rather than at its first call",
    )
    console_dir: Path | None = Field(
        default=None,
        description="The web console's static export (web/out after `npm --prefix web run "
        "build`) to serve at / beside the API; unset: no console (`raikoo up` serves the "
        "checkout's web/out when it is built)",
    )
    cookie_secure: bool | None = Field(
        default=None,
        description="Secure session cookies (HTTPS only); unset: secure unless the API "
        "listens on a loopback address",
    )

    _valid_allow_list = field_validator("ai_allow_hosts")(checked_entries)
    webhook_allow_hosts: list[str] = Field(
        default_factory=list,
        description="Destinations outbound webhooks may reach although the SSRF guard "
        "refuses them (private, loopback): host[:port] or CIDR entries, JSON list",
    )
    webhook_org_allow_hosts: dict[uuid.UUID, list[str]] = Field(
        default_factory=dict,
        description="The same, per organization id (JSON object of lists)",
    )
    webhook_retry_seconds: list[float] = Field(
        default=[5, 300, 1800, 7200, 18000, 36000, 36000],
        min_length=1,
        description="Pauses before each retry of a failed outbound delivery (the default "
        "retries for about 27 hours); a delivery fails for good after the last",
    )
    webhook_disable_after_seconds: float = Field(
        default=5 * 86400,
        gt=0,
        description="A subscription whose every delivery attempt failed for this long is "
        "disabled (re-enable it with PATCH enabled=true)",
    )
    webhook_timeout_seconds: float = Field(
        default=15.0, gt=0, description="How long one outbound delivery may take"
    )
    webhook_poll_seconds: float = Field(
        default=0.5,
        gt=0,
        description="How often the delivery worker looks for new run events and due deliveries",
    )
    webhook_batch: int = Field(
        default=64, ge=1, le=1000, description="Events read, and deliveries sent, per round"
    )
    webhook_lease_seconds: float = Field(
        default=120.0,
        gt=0,
        description="A delivery being sent is due again after this, should its sender die",
    )
    webhook_delivery_retention_days: float = Field(
        default=30.0,
        gt=0,
        description="Succeeded and failed deliveries older than this are removed from the "
        "delivery log",
    )
    hook_max_wait_seconds: float = Field(
        default=60.0,
        ge=0,
        description="The most an inbound hook call may wait (?wait=N) for its run's outputs",
    )
    hook_previous_secret_seconds: float = Field(
        default=86400.0,
        ge=0,
        description="How long the secret a rotation replaced stays valid (signing and "
        "verifying), so senders and receivers can switch over",
    )

    _valid_webhook_allow = field_validator("webhook_allow_hosts")(checked_entries)
    _valid_webhook_org_allow = field_validator("webhook_org_allow_hosts")(checked_org_entries)

    def webhook_allow_list(self, org_id: uuid.UUID) -> AllowList:
        return AllowList([*self.webhook_allow_hosts, *self.webhook_org_allow_hosts.get(org_id, [])])

    def rate_limits(self, principal: Principal) -> list[tuple[str, int]]:
        return [
            (principal.actor_id, self.rate_limit_per_key),
            (f"org:{principal.org_id}", self.rate_limit_per_org),
        ]

    def secure_cookies(self) -> bool:
        if self.cookie_secure is not None:
            return self.cookie_secure
        return _host_name(self.host) not in LOCAL_NAMES

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
