"""Config and output of ``ai.prompt``."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from raikoo_ai_runner.config.alignment import Alignment
from raikoo_ai_runner.config.inputs import Attachment, ChatMessage, Example
from raikoo_ai_runner.config.provider import OBJECT_NAME, ConnectionName, ProviderConfig
from raikoo_ai_runner.config.response import ResponseProcessing
from raikoo_ai_runner.config.tools import Tool, ToolName, tool_names_clash
from raikoo_common.messages import OperationUsage

PersonaName = Annotated[
    str, Field(pattern=OBJECT_NAME, description="A persona of the project, by name.")
]
ReasoningEffort = Literal["minimal", "low", "medium", "high"]


class Sampling(BaseModel):
    """Model and sampling parameters: a persona's defaults, which an operation overrides."""

    model_config = ConfigDict(extra="forbid")

    model: str | None = Field(
        default=None, max_length=256, description="Model (Azure: the deployment's model)."
    )
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)
    max_tokens: int | None = Field(
        default=None, ge=1, description="Most tokens the answer may have (per call)."
    )
    seed: int | None = None
    stop: list[str] | None = Field(default=None, max_length=4)
    reasoning_effort: ReasoningEffort | None = Field(
        default=None, description="Reasoning models only (o-series, gpt-5)."
    )


class Persona(Sampling):
    """Who the model is: instructions (the system prompt), model and sampling defaults,
    default tools and alignment. The operation's own fields override these."""

    name: str | None = Field(
        default=None, max_length=256, description="For records (a project persona's name)."
    )
    version: int | None = Field(
        default=None, ge=1, description="A project persona's version (with its name)."
    )
    instructions: str | None = Field(default=None, max_length=200_000)
    provider: ProviderConfig | ConnectionName | None = None
    tools: list[Tool | ToolName] = Field(default_factory=list, max_length=64)
    alignment: Alignment | None = None

    def inline_parts(self) -> tuple[ProviderConfig | None, list[Tool]]:
        """Its connection and tools, which the platform has put in place of their names."""
        return _inline(self.provider, "persona.provider"), _inline_tools(self.tools, "persona")


class PromptConfig(Sampling):
    model_config = ConfigDict(extra="forbid")

    CREDENTIAL_SINKS: ClassVar[tuple[tuple[str, ...], ...]] = (
        ("provider", "api_key"),
        ("provider", "headers", "*"),
        ("persona", "provider", "api_key"),
        ("persona", "provider", "headers", "*"),
        ("tools", "*", "headers", "*"),
        ("persona", "tools", "*", "headers", "*"),
    )
    """Where secrets may go (docs/security.md): API keys and request headers, sent to the
    provider or tool they are for and never shown to the model."""

    provider: ProviderConfig | ConnectionName | None = Field(
        default=None,
        description=(
            "The provider connection, inline or by name (default: the persona's, else the "
            "runner's)."
        ),
    )
    persona: Persona | PersonaName | None = Field(
        default=None,
        description=(
            "Inline, or a persona of the project by name (`analyst`, or `{name: analyst, "
            "version: 3}`): pinned when the workflow is stored; the operation's fields win."
        ),
    )
    system: str | None = Field(
        default=None,
        max_length=200_000,
        description="System message, after the persona's instructions.",
    )
    prompt: str | None = Field(default=None, max_length=1_000_000, description="User message.")
    examples: list[Example] = Field(default_factory=list, max_length=100)
    history: list[ChatMessage] = Field(
        default_factory=list,
        max_length=1000,
        description="Earlier messages of a conversation, sent before the prompt.",
    )
    attachments: list[Attachment] = Field(default_factory=list, max_length=32)

    tools: list[Tool | ToolName] = Field(
        default_factory=list,
        max_length=64,
        description=(
            "Tools the model may call, inline or project tools by name (with the persona's; "
            "a name here wins)."
        ),
    )
    tool_choice: Literal["auto", "none", "required"] | str = Field(
        default="auto", description="auto, none, required, or a tool's name."
    )
    parallel_tool_calls: bool = True
    max_tool_steps: int = Field(
        default=8, ge=1, le=100, description="Most model calls that may ask for tools."
    )

    output_schema: dict[str, Any] | None = Field(
        default=None, description="JSON Schema the answer must be (as JSON)."
    )
    max_repairs: int = Field(
        default=2,
        ge=0,
        le=10,
        description="Times the model is asked again, quoting what was wrong, before failing.",
    )
    alignment: Alignment | None = Field(
        default=None, description="Guardrails, PII masking, moderation, judge (with persona's)."
    )
    response: ResponseProcessing = Field(default_factory=ResponseProcessing)
    stream: bool = Field(
        default=True, description="Stream the answer to live listeners as it is written."
    )
    mock: Any = Field(
        default=None,
        description="The answer in a dry run (default: one made from output_schema, or text).",
    )

    @field_validator("output_schema")
    @classmethod
    def _valid_schema(cls, schema: dict[str, Any] | None) -> dict[str, Any] | None:
        from raikoo_ai_runner.schemas import schema_problem

        if schema is not None and (problem := schema_problem(schema)) is not None:
            raise ValueError(f"not a valid JSON Schema: {problem}")
        return schema

    @model_validator(mode="after")
    def _something_to_send(self) -> PromptConfig:
        if not (self.prompt or self.history or self.attachments):
            raise ValueError("give a prompt (or history or attachments) to send")
        clash = tool_names_clash(self.tools)
        if clash is not None:
            raise ValueError(f"two tools are named {clash!r}")
        return self


def _inline(provider: ProviderConfig | str | None, where: str) -> ProviderConfig | None:
    if isinstance(provider, str):
        raise ValueError(f"{where} names connection {provider!r}, which was not resolved")
    return provider


def _inline_tools(tools: list[Tool | str], where: str) -> list[Tool]:
    names = [tool for tool in tools if isinstance(tool, str)]
    if names:
        raise ValueError(f"{where}.tools names {', '.join(names)}, which were not resolved")
    return [tool for tool in tools if not isinstance(tool, str)]


def unresolved_names(config: PromptConfig) -> str | None:
    """Why ``config`` cannot run as it is: a provider, persona or tool it names that the
    platform did not put in place (it does so for stored workflows); None if all inline."""
    try:
        _inline(config.provider, "provider")
        _inline_tools(config.tools, "")
        if isinstance(config.persona, str):
            raise ValueError(f"persona {config.persona!r} was not resolved")
        if config.persona is not None:
            config.persona.inline_parts()
    except ValueError as exc:
        return (
            f"{exc}: names are resolved when a workflow is stored (POST /v1/workflows, "
            "raikoo run); give the object inline to run this operation by itself"
        )
    return None


class ToolCallRecord(BaseModel):
    step: int = Field(description="The model call that asked for it, from 1.")
    id: str
    name: str
    arguments: Any = Field(description="As the model gave them (secrets masked).")
    ok: bool
    error: str | None = None
    result_chars: int = Field(default=0, description="Size of the result given to the model.")
    duration_ms: int = 0


class AlignmentDecision(BaseModel):
    rule: str = Field(description="e.g. output.deny:internal-url, output_schema, judge, pii")
    stage: Literal["input", "output"]
    outcome: Literal["passed", "masked", "violated", "repaired", "approved", "rejected"]
    detail: str | None = None


class RequestRecord(BaseModel):
    model: str
    messages: list[dict[str, Any]] = Field(
        description="Exactly what was sent first (image data elided, secrets masked)."
    )
    parameters: dict[str, Any] = Field(default_factory=dict)
    tools: list[str] = Field(default_factory=list)
    structured_output: bool = False


class PromptOutput(BaseModel):
    text: str = Field(description="The answer.")
    data: Any = Field(default=None, description="The answer parsed (and extracted).")
    outputs: dict[str, Any] = Field(default_factory=dict, description="Named outputs.")
    result: Any = Field(default=None, description="The post-processing template's result.")
    model: str
    finish_reason: str | None = None
    request: RequestRecord
    tool_calls: list[ToolCallRecord] = Field(default_factory=list)
    alignment: list[AlignmentDecision] = Field(default_factory=list)
    steps: int = Field(default=0, description="Model calls made for the answer.")
    repairs: int = 0
    usage: OperationUsage = Field(default_factory=OperationUsage)
    cost: float | None = Field(default=None, description="US dollars (usage.cost).")
    dry_run: bool = False
