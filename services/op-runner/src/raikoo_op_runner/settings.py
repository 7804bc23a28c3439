import uuid
from functools import cache

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import SettingsConfigDict

from raikoo_common.net import AllowList
from raikoo_common.net.allowlist import checked_entries, checked_org_entries
from raikoo_common.net.credentials import DEFAULT_CREDENTIAL_HEADERS
from raikoo_common.settings import ServiceSettings


class OpRunnerSettings(ServiceSettings):
    model_config = SettingsConfigDict(**ServiceSettings.model_config, populate_by_name=True)

    op_runner_concurrency: int = 32
    http_allow_hosts: list[str] = Field(
        default_factory=list,
        description=(
            "Destinations every organisation's outbound HTTP may reach although the SSRF "
            "guard blocks them (internal services): host names, '*.domain' wildcards, IPs "
            "or CIDR ranges, each optionally ':port'. JSON list in RAIKOO_HTTP_ALLOW_HOSTS."
        ),
    )
    http_org_allow_hosts: dict[uuid.UUID, list[str]] = Field(
        default_factory=dict,
        description=(
            "More allow-list entries for single organisations, keyed by org id. JSON object "
            'in RAIKOO_HTTP_ORG_ALLOW_HOSTS, e.g. {"<org uuid>": ["crm.internal:8443"]}.'
        ),
    )
    http_credential_headers: list[str] = Field(
        default=list(DEFAULT_CREDENTIAL_HEADERS),
        description=(
            "Request headers http.request drops when a redirect leaves the origin (scheme, "
            "host or port), with the body. Also dropped: headers whose name says auth, token, "
            "key, secret, session, cookie, password, signature or credential, and headers "
            "whose value held a secret. JSON list in RAIKOO_HTTP_CREDENTIAL_HEADERS."
        ),
    )

    workers: int = Field(
        default=2,
        ge=1,
        validation_alias=AliasChoices("RAIKOO_WORKERS", "RAIKOO_TEMPLATE_WORKERS"),
        description=(
            "Worker processes that render template.render templates, apply json.transform "
            "expressions and run conversions, so that an operation's timeout stops them. "
            "Started on first use. (RAIKOO_TEMPLATE_WORKERS, its first name, still works.)"
        ),
    )
    template_worker_memory_mib: int = Field(
        default=1024,
        ge=256,
        description="Address space of a worker rendering a template (RLIMIT_AS), in MiB.",
    )
    template_seconds: float = Field(
        default=60.0,
        gt=0,
        description=(
            "CPU time one template.render or json.transform may use (an operation's own "
            "timeout, when shorter, stops it first)."
        ),
    )
    convert_memory_mib: int = Field(
        default=2048,
        ge=256,
        description=(
            "Address space of a worker running a conversion (RLIMIT_AS), in MiB: a larger "
            "conversion fails, naming this limit."
        ),
    )
    convert_seconds: float = Field(
        default=120.0,
        gt=0,
        description=(
            "CPU time one conversion may use; its worker is stopped past it (an operation's "
            "own timeout, when shorter, stops it first)."
        ),
    )

    _valid_allow_list = field_validator("http_allow_hosts")(checked_entries)
    _valid_org_allow_lists = field_validator("http_org_allow_hosts")(checked_org_entries)

    def http_allow_list(self, org_id: uuid.UUID) -> AllowList:
        return AllowList([*self.http_allow_hosts, *self.http_org_allow_hosts.get(org_id, [])])


@cache
def current_settings() -> OpRunnerSettings:
    """The op-runner's settings as read from the environment, built once on first use.

    Kinds need this (the HTTP allow list) but are module-level and receive only their
    config and an ``OperationContext``, so the composition root cannot hand them objects.
    A lazy, cached read keeps them free of ``os.environ`` and of import-time work, and
    agrees with the root's own ``OpRunnerSettings()``: both read the same immutable
    environment (embedded mode overrides only bus and storage fields). Tests that change
    the environment call ``current_settings.cache_clear()``.
    """
    return OpRunnerSettings()
