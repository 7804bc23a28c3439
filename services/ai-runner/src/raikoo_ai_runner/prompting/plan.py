"""What one ``ai.prompt`` does, once its persona and its own fields are merged: the
operation's fields win over the persona's; tools are the persona's and the operation's
(a name given by both is the operation's); alignment rules are merged field by field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from raikoo_ai_runner.config.alignment import Alignment
from raikoo_ai_runner.config.prompt import Persona, PromptConfig, Sampling, unresolved_names
from raikoo_ai_runner.config.provider import ProviderConfig
from raikoo_ai_runner.config.tools import HttpTool, McpTool, WorkflowTool
from raikoo_common.runner import OperationError

ToolSpec = HttpTool | McpTool | WorkflowTool
_SAMPLING = tuple(Sampling.model_fields)


@dataclass(frozen=True)
class Plan:
    config: PromptConfig
    provider: ProviderConfig | None
    model: str | None
    sampling: dict[str, Any]
    system: str | None
    tools: list[ToolSpec] = field(default_factory=list)
    alignment: Alignment = field(default_factory=Alignment)
    persona_name: str | None = None


def plan(config: PromptConfig) -> Plan:
    problem = unresolved_names(config)
    if problem is not None:
        raise OperationError(problem, kind="invalid_config", retryable=False)
    persona = config.persona if isinstance(config.persona, Persona) else None
    own_provider = config.provider if isinstance(config.provider, ProviderConfig) else None
    persona_provider, persona_tools = persona.inline_parts() if persona else (None, [])
    own_tools = [tool for tool in config.tools if not isinstance(tool, str)]
    values: dict[str, Any] = {}
    for name in _SAMPLING:
        own = getattr(config, name)
        values[name] = own if own is not None else getattr(persona, name, None)
    model = values.pop("model")
    sampling = {name: value for name, value in values.items() if value is not None}
    system_parts = [part for part in (persona and persona.instructions, config.system) if part]
    tools: dict[str, ToolSpec] = {tool.name: tool for tool in persona_tools}
    tools.update({tool.name: tool for tool in own_tools})
    return Plan(
        config=config,
        provider=own_provider or persona_provider,
        model=model,
        sampling=sampling,
        system="\n\n".join(system_parts) or None,
        tools=list(tools.values()),
        alignment=_merged(persona.alignment if persona else None, config.alignment),
        persona_name=persona.name if persona else None,
    )


def _merged(base: Alignment | None, own: Alignment | None) -> Alignment:
    if base is None or own is None:
        return own or base or Alignment()
    update = {name: getattr(own, name) for name in own.model_fields_set}
    return base.model_copy(update=update)
