"""Named AI objects in workflows: the provider connections, personas and tools an ``ai.*``
operation names instead of writing them inline.

Like project operations (``uses: op/<name>``) they are resolved when a workflow is stored:
the gateway finds every name (``references``), looks each one up and pins the version it
found in the workflow version (``Pins``: ``workflow_versions.ai_objects``). When the
scheduler dispatches the operation it puts the pinned objects in place of their names
(``inline``), so the runner receives the inline shapes it always takes, and a run does
what the version stored, whatever changes later.

Names are literal: ``provider: openai-prod``, ``persona: analyst`` (or ``{name, version}``),
``tools: [search, {type: http, ...}]``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from raikoo_common.workflow.problems import Loc
from raikoo_common.workflow.validate import _operations

ObjectKind = Literal["provider", "persona", "tool"]
AI_KINDS = frozenset({"ai.prompt", "ai.embed"})
GROUPS: Mapping[ObjectKind, str] = {"provider": "providers", "persona": "personas", "tool": "tools"}
PLATFORM_FIELDS = ("default_model", "allowed_models", "description")
"""Fields of a stored provider connection that are the platform's, not the runner's."""

Pins = Mapping[str, Mapping[str, Any]]
"""``{"providers"|"personas"|"tools": {pin_key: {"version", "spec", ...}}}``."""
Render = Callable[[Any, str], Any]
"""Renders templates in a value (the scheduler's ``render_value``); the text says where."""


class ObjectNotPinned(ValueError):
    """A name the workflow version did not pin, or a model its connection does not allow."""


@dataclass(frozen=True)
class Reference:
    kind: ObjectKind
    name: str
    version: int | None
    loc: Loc

    @property
    def key(self) -> str:
        return pin_key(self.name, self.version)


def pin_key(name: str, version: int | None) -> str:
    """Where a pin is kept: ``analyst`` (the version current when stored) or ``analyst@3``."""
    return name if version is None else f"{name}@{version}"


def persona_reference(value: Any) -> tuple[str, int | None] | None:
    """``persona: analyst`` or ``persona: {name: analyst, version: 3}``; None when the
    persona is written inline (it has more than a name and a version)."""
    if isinstance(value, str):
        return value, None
    if isinstance(value, Mapping) and set(value) <= {"name", "version"}:
        name, version = value.get("name"), value.get("version")
        if isinstance(name, str) and (version is None or type(version) is int):
            return name, version
    return None


def ai_operations(
    document: Mapping[str, Any],
) -> Iterator[tuple[Loc, str, Mapping[str, Any]]]:
    """Where each ``ai.*`` operation's ``with`` is, its kind, and what it holds."""
    for op in _operations(document):
        if op.uses in AI_KINDS and isinstance(op.config, Mapping):
            yield (*op.loc, "with"), op.uses, op.config


def references(document: Mapping[str, Any]) -> list[Reference]:
    """Every name the ``ai.*`` operations of a workflow document give, with where."""
    found: list[Reference] = []
    for loc, _, config in ai_operations(document):
        found += config_references(config, loc)
    return found


def config_references(config: Mapping[str, Any], loc: Loc) -> list[Reference]:
    """The names in one operation's config (or a persona's spec)."""
    found: list[Reference] = []
    provider = config.get("provider")
    if isinstance(provider, str):
        found.append(Reference("provider", provider, None, (*loc, "provider")))
    persona = persona_reference(config.get("persona"))
    if persona is not None:
        found.append(Reference("persona", persona[0], persona[1], (*loc, "persona")))
    tools = config.get("tools")
    for index, tool in enumerate(tools if isinstance(tools, list) else ()):
        if isinstance(tool, str):
            found.append(Reference("tool", tool, None, (*loc, "tools", index)))
    return found


def literal_model(config: Mapping[str, Any]) -> str | None:
    """The model an operation names, when it is not a template."""
    model = config.get("model")
    return model if isinstance(model, str) and "{" not in model else None


def inline(kind: str, config: Mapping[str, Any], pins: Pins, render: Render) -> dict[str, Any]:
    """``config`` with each name replaced by its pinned object: credentials and a persona's
    instructions rendered with ``render``, the connection's default model applied and its
    allowed models checked."""
    result = dict(config)
    if kind not in AI_KINDS or not _names_in(result):
        return result
    connection: Mapping[str, Any] | None = None
    if isinstance(result.get("provider"), str):
        result["provider"], connection = _provider(pins, result["provider"], render)
    persona = persona_reference(result.get("persona"))
    if persona is not None:
        result["persona"], persona_connection = _persona(pins, pin_key(*persona), render)
        if result.get("provider") is None:  # the runner uses the persona's connection
            connection = persona_connection
    if isinstance(result.get("tools"), list):
        result["tools"] = [_tool(pins, tool, render) for tool in result["tools"]]
    if connection is not None and kind == "ai.prompt":  # its models are chat models
        _apply_models(result, connection)
    return result


def _names_in(config: Mapping[str, Any]) -> bool:
    tools = config.get("tools")
    return (
        isinstance(config.get("provider"), str)
        or persona_reference(config.get("persona")) is not None
        or (isinstance(tools, list) and any(isinstance(tool, str) for tool in tools))
    )


def _pinned(pins: Pins, kind: ObjectKind, key: str) -> Mapping[str, Any]:
    found = (pins.get(GROUPS[kind]) or {}).get(key)
    if found is None:
        raise ObjectNotPinned(
            f"{kind} {key!r} was not pinned when the workflow version was stored; store the "
            "workflow again to resolve it"
        )
    spec: Mapping[str, Any] = found["spec"]
    return spec


def _provider(pins: Pins, name: str, render: Render) -> tuple[dict[str, Any], dict[str, Any]]:
    spec = dict(_pinned(pins, "provider", name))
    platform = {field: spec.pop(field, None) for field in PLATFORM_FIELDS}
    platform["name"] = name
    for field in ("api_key", "headers"):
        if spec.get(field):
            spec[field] = render(spec[field], f"providers.{name}.{field}")
    return spec, platform


def _tool(pins: Pins, tool: Any, render: Render) -> Any:
    if not isinstance(tool, str):
        return tool
    spec = dict(_pinned(pins, "tool", tool))
    if spec.get("headers"):
        spec["headers"] = render(spec["headers"], f"tools.{tool}.headers")
    return spec


def _persona(pins: Pins, key: str, render: Render) -> tuple[dict[str, Any], dict[str, Any] | None]:
    spec = dict(_pinned(pins, "persona", key))
    spec.pop("description", None)
    name = key.split("@", 1)[0]
    spec["name"] = name
    if spec.get("instructions"):
        spec["instructions"] = render(spec["instructions"], f"personas.{name}.instructions")
    connection = None
    if isinstance(spec.get("provider"), str):
        spec["provider"], connection = _provider(pins, spec["provider"], render)
    if isinstance(spec.get("tools"), list):
        spec["tools"] = [_tool(pins, tool, render) for tool in spec["tools"]]
    return spec, connection


def _apply_models(config: dict[str, Any], connection: Mapping[str, Any]) -> None:
    """The named connection the runner uses: its default model fills in a model neither the
    operation nor its persona gives, and its allowed models bound the one used."""
    persona = config.get("persona")
    model = config.get("model") or (persona.get("model") if isinstance(persona, Mapping) else None)
    if model is None and connection.get("default_model"):
        model = config["model"] = connection["default_model"]
    check_model(model, connection)


def check_model(model: Any, connection: Mapping[str, Any]) -> None:
    allowed = connection.get("allowed_models") or []
    if allowed and isinstance(model, str) and model not in allowed:
        raise ObjectNotPinned(
            f"model {model!r} is not allowed by provider connection {connection['name']!r} "
            f"(allowed: {', '.join(allowed)})"
        )


def iter_pins(pins: Pins) -> Iterator[tuple[ObjectKind, str, Mapping[str, Any]]]:
    for kind, group in GROUPS.items():
        for key, pin in (pins.get(group) or {}).items():
            yield kind, key, pin
