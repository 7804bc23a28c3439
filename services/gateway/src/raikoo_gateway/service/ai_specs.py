"""What a provider connection, a persona and a tool are as platform objects: the runner's
inline shapes (``raikoo_ai_runner.config``), plus what only the platform keeps (a
connection's default and allowed models, descriptions), checked when they are stored."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import ConfigDict, Field, TypeAdapter, field_validator, model_validator

from raikoo_ai_runner.config.alignment import Alignment
from raikoo_ai_runner.config.prompt import Sampling
from raikoo_ai_runner.config.provider import ConnectionName, ProviderConfig
from raikoo_ai_runner.config.tools import Tool, ToolName
from raikoo_common.net import AllowList, blocked_reason, literal_address
from raikoo_common.secrets import SECRET_NAME_PATTERN
from raikoo_common.workflow.templates import template_syntax_error

ObjectKind = Literal["provider", "persona", "tool"]
SECRET_REFERENCE = re.compile(rf"\{{\{{\s*secrets\.({SECRET_NAME_PATTERN})\s*\}}\}}")
Description = Annotated[str | None, Field(default=None, max_length=4000)]


class ProviderSpec(ProviderConfig):
    """A provider connection: the inline ``provider`` of an AI operation, with a default
    model and the models it may be used with. Its key is a secret reference, never a
    value."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "kind": "openai",
                    "api_key": "{{ secrets.OPENAI_KEY }}",
                    "default_model": "gpt-4o-mini",
                    "allowed_models": ["gpt-4o-mini", "gpt-4o"],
                }
            ]
        },
    )

    description: Description
    default_model: str | None = Field(
        default=None,
        max_length=256,
        description="Used when neither operation nor persona names one.",
    )
    allowed_models: list[Annotated[str, Field(min_length=1, max_length=256)]] = Field(
        default_factory=list,
        max_length=200,
        description="The models operations may use with it; empty: any.",
    )

    @field_validator("api_key")
    @classmethod
    def _secret_reference(cls, key: str | None) -> str | None:
        if key is not None and not SECRET_REFERENCE.fullmatch(key.strip()):
            raise ValueError(
                "a connection's api_key is a secret reference, never a value: write the key "
                "with PUT /v1/secrets/NAME and give '{{ secrets.NAME }}' here"
            )
        return key

    @field_validator("headers")
    @classmethod
    def _header_values(cls, headers: dict[str, str]) -> dict[str, str]:
        for name, value in headers.items():
            if "{" in value and not SECRET_REFERENCE.fullmatch(value.strip()):
                raise ValueError(
                    f"header {name}: a value is literal text or one secret reference "
                    "('{{ secrets.NAME }}')"
                )
        return headers

    @model_validator(mode="after")
    def _default_allowed(self) -> ProviderSpec:
        allowed = self.allowed_models
        if self.default_model and allowed and self.default_model not in allowed:
            raise ValueError(f"default_model {self.default_model!r} is not one of allowed_models")
        return self

    def url_problems(self, allow: AllowList) -> list[tuple[str, str]]:
        """What the SSRF guard would refuse that can be known now: a malformed URL, one
        with credentials in it, or a literal address on a private network the operator has
        not allowed (RAIKOO_AI_ALLOW_HOSTS). Names are resolved by the runner's guard at
        each call."""
        found = []
        for field in ("base_url", "azure_endpoint"):
            url = getattr(self, field)
            if url is not None and (problem := _url_problem(url, allow)) is not None:
                found.append((field, problem))
        return found


def _url_problem(url: str, allow: AllowList) -> str | None:
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as exc:
        return f"not a URL: {exc}"
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return "give an http(s) URL with a host"
    if parts.username or parts.password:
        return "a URL carries no credentials: give the key as api_key (a secret reference)"
    address = literal_address(parts.hostname)
    if (
        address is None
        or allow.allows_address(address, port)
        or allow.allows_name(parts.hostname, port)
    ):
        return None
    reason = blocked_reason(address)
    if reason is None:
        return None
    return (
        f"{parts.hostname} is {reason}, which the outbound-HTTP guard refuses; an operator "
        f'may allow it with RAIKOO_AI_ALLOW_HOSTS (e.g. ["{parts.hostname}:{port}"])'
    )


class PersonaSpec(Sampling):
    """A persona: instructions (a template, rendered when the operation is dispatched, with
    what its ``with`` reads), a provider connection by name, model and sampling defaults,
    default tools and alignment. An operation naming it overrides any of these."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "instructions": "You triage support tickets. Answer precisely.",
                    "provider": "openai",
                    "model": "gpt-4o-mini",
                    "temperature": 0,
                    "tools": ["kb-search"],
                    "alignment": {"pii": {"kinds": ["email", "phone"]}},
                }
            ]
        },
    )

    description: Description
    instructions: str | None = Field(
        default=None, max_length=200_000, description="The system prompt (a template)."
    )
    provider: ConnectionName | None = None
    tools: list[Tool | ToolName] = Field(default_factory=list, max_length=64)
    alignment: Alignment | None = None

    @field_validator("instructions")
    @classmethod
    def _template(cls, instructions: str | None) -> str | None:
        if instructions is not None:
            error = template_syntax_error(instructions)
            if error is not None:
                raise ValueError(f"not a valid template: {error[0]}")
            if "secrets." in instructions:
                raise ValueError("instructions are shown to the model: no secret goes there")
        return instructions


TOOL = TypeAdapter[Any](Tool)


def spec_model(kind: ObjectKind) -> Any:
    """The model (or type adapter) a stored object's spec is validated with."""
    return {"provider": ProviderSpec, "persona": PersonaSpec, "tool": TOOL}[kind]
