"""Config and output models of the ``http.request`` kind."""

from __future__ import annotations

import base64
import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Scalar = str | int | float | bool | None
Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
ResponseMode = Literal["auto", "json", "text", "base64", "artifact"]

MIB = 1024 * 1024
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# httpx computes these from the body; a hand-written value would desynchronise the framing.
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "connection"})
_URL_PATTERN = "^[Hh][Tt][Tt][Pp][Ss]?://"


class RetryConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    max_attempts: int = Field(
        default=3,
        ge=1,
        le=10,
        description="Attempts inside this operation, the first included (1 = no retry).",
    )
    statuses: list[Annotated[int, Field(ge=400, le=599)]] = Field(
        default=[429, 500, 502, 503, 504],
        max_length=50,
        description="Response statuses (4xx/5xx) that are retried; connection failures are too.",
    )
    max_wait: float = Field(
        default=30.0,
        ge=0,
        le=300,
        description=(
            "Longest pause between attempts, in seconds: caps both Retry-After and the "
            "exponential backoff (0.5 s, 1 s, 2 s, … with jitter)."
        ),
    )


class BasicAuth(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["basic"]
    username: str = Field(max_length=1024)
    password: str = Field(max_length=8192)


class BearerAuth(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["bearer"]
    token: str = Field(min_length=1, max_length=8192)


class HttpRequestConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    CREDENTIAL_SINKS: ClassVar[tuple[tuple[str, ...], ...]] = (
        ("headers", "*"),
        ("auth",),
        ("form", "*"),
        ("json",),
    )
    """Where secrets may go (docs/security.md): headers, ``auth``, and the fields of a form
    or JSON body — sent to the server, never transformed. Never the URL (host, path or
    query), which logs, proxies and DNS see, nor a raw ``body``."""

    url: str = Field(
        min_length=1,
        max_length=8192,
        description="http:// or https:// URL to request; query parameters may be given here.",
        json_schema_extra={"pattern": _URL_PATTERN},
    )
    method: Method = Field(default="GET", description="HTTP method.")
    headers: dict[str, str | int | float | bool] = Field(
        default_factory=dict,
        description="Request headers. Values are never logged (they may hold credentials).",
    )
    query: dict[str, Scalar | list[Scalar]] = Field(
        default_factory=dict,
        description=(
            "Query parameters added to the URL's own (a name given here replaces the URL's); "
            "a list repeats the parameter."
        ),
    )
    json_body: Any = Field(
        default=None,
        alias="json",
        description="Body sent as JSON (Content-Type: application/json). Excludes form/body.",
    )
    form: dict[str, Scalar | list[Scalar]] | None = Field(
        default=None,
        description="Body sent as application/x-www-form-urlencoded. Excludes json/body.",
    )
    body: str | None = Field(
        default=None,
        description=(
            "Raw body sent as given, UTF-8 encoded (Content-Type text/plain unless set in "
            "headers). Excludes json/form."
        ),
    )
    timeout: float = Field(
        default=30.0,
        gt=0,
        le=600,
        description="Seconds one attempt may take: connecting, redirects and the whole body.",
    )
    max_response_bytes: int = Field(
        default=10 * MIB,
        ge=1,
        le=100 * MIB,
        description="Largest response body read; a larger one fails with response_too_large.",
    )
    response: ResponseMode = Field(
        default="auto",
        description=(
            "How to return the body: 'auto' (JSON for a JSON content type, text for text "
            "types, else base64), 'json' (must parse), 'text', 'base64', or 'artifact' (the "
            "bytes stored as a file in the artifact store; body is its reference — for "
            "documents and large downloads)."
        ),
    )
    retry: RetryConfig = Field(
        default_factory=RetryConfig, description="Retries inside this operation."
    )
    fail_on_status: bool = Field(
        default=True,
        description="Fail on a final 4xx/5xx status; false returns such responses as output.",
    )
    follow_redirects: bool = Field(
        default=True,
        description="Follow 3xx redirects, each target checked by the SSRF guard again.",
    )
    max_redirects: int = Field(default=10, ge=0, le=20, description="Most redirects followed.")
    auth: BasicAuth | BearerAuth | None = Field(
        default=None,
        discriminator="type",
        description=(
            "Credentials sent as the Authorization header: {type: basic, username, password} "
            "or {type: bearer, token}. Their values may be secrets ({{ secrets.NAME }}); the "
            "kind encodes them itself, so a secret needs no transforming."
        ),
    )
    idempotency_header: str | None = Field(
        default=None,
        description=(
            "Send the operation's idempotency key in this header (e.g. 'Idempotency-Key'): "
            "the same value every time this attempt is executed (its own retries, and a "
            "redelivery after a crash), a new one for the operation's next attempt. A value "
            "given in headers wins."
        ),
        json_schema_extra={"examples": ["Idempotency-Key"]},
    )

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        if not re.match(_URL_PATTERN, url.strip()):
            raise ValueError(f"must be an http:// or https:// URL, got {url[:80]!r}")
        return url.strip()

    @field_validator("idempotency_header")
    @classmethod
    def _header_name(cls, name: str | None) -> str | None:
        if name is not None and not _TOKEN.fullmatch(name):
            raise ValueError(f"header name {name!r} is not a valid HTTP token")
        return name

    @field_validator("headers")
    @classmethod
    def _valid_headers(cls, headers: dict[str, Any]) -> dict[str, Any]:
        for name, value in headers.items():
            if not _TOKEN.fullmatch(name):
                raise ValueError(f"header name {name!r} is not a valid HTTP token")
            if name.lower() in _FRAMING_HEADERS:
                raise ValueError(f"header {name!r} is set from the body; remove it")
            if isinstance(value, str) and any(c in value for c in "\r\n\0"):
                raise ValueError(f"header {name!r}: the value contains a line break or NUL")
            if isinstance(value, str) and not value.isascii():
                raise ValueError(f"header {name!r}: the value is not ASCII; percent-encode it")
        return headers

    @model_validator(mode="after")
    def _one_body(self) -> HttpRequestConfig:
        # `json: null` sends JSON null; a null form or body is simply absent.
        given = [
            name
            for name, field in (("json", "json_body"), ("form", "form"), ("body", "body"))
            if field in self.model_fields_set
            and (name == "json" or getattr(self, field) is not None)
        ]
        if len(given) > 1:
            raise ValueError(f"give at most one of json, form and body; got {' and '.join(given)}")
        if self.auth is not None and any(k.lower() == "authorization" for k in self.headers):
            raise ValueError("give `auth` or an Authorization header, not both")
        return self

    def authorization(self) -> str | None:
        """The Authorization header ``auth`` asks for (its values substituted by now)."""
        if isinstance(self.auth, BasicAuth):
            pair = f"{self.auth.username}:{self.auth.password}".encode()
            return "Basic " + base64.b64encode(pair).decode()
        if isinstance(self.auth, BearerAuth):
            return f"Bearer {self.auth.token}"
        return None

    @property
    def sends_json(self) -> bool:
        return "json_body" in self.model_fields_set

    def header_items(self) -> list[tuple[str, str]]:
        return [(name, _text(value)) for name, value in self.headers.items()]


def _text(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class HttpResponseOutput(BaseModel):
    status: int = Field(description="Final HTTP status code.")
    reason: str = Field(description="Reason phrase, e.g. 'Not Found'.")
    ok: bool = Field(description="True for a 2xx status.")
    headers: dict[str, str] = Field(
        description="Response headers, names lower-cased; repeated headers joined by ', '."
    )
    body: Any = Field(description="The body, decoded as body_encoding says.")
    body_encoding: Literal["json", "text", "base64", "artifact"] = Field(
        description="How body is given: parsed JSON, text, base64 of the raw bytes, or an "
        "artifact reference."
    )
    content_type: str | None = Field(description="The Content-Type header, if any.")
    size_bytes: int = Field(description="Body size in bytes (after content decoding).")
    url: str = Field(description="Final URL after redirects (without credentials).")
    redirects: list[str] = Field(description="URLs redirected through, in order.")
    attempts: int = Field(description="Attempts made (1 when no retry was needed).")
    elapsed_ms: int = Field(description="Time from the first attempt to the final response.")
