"""The workflow definition format (DESIGN.md §5), as pydantic models.

Structural validation lives here; graph and template checks in ``validate.py``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from raikoo_common.error_kinds import DEFAULT_RETRY_ON
from raikoo_common.workflow.durations import Duration

KEY_PATTERN = r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$"
NAME_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,127}$"

OperationKey = Annotated[str, StringConstraints(pattern=KEY_PATTERN)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class RetryPolicy(_Strict):
    max_attempts: int = Field(default=1, ge=1, le=100)
    backoff: Duration = 1.0
    """Delay before the second attempt; doubles each attempt after."""
    max_backoff: Duration = 300.0
    jitter: float = Field(default=0.2, ge=0.0, le=1.0)
    """Fraction of each delay that is randomised, so retries of many runs spread out."""
    on: list[str] = Field(default_factory=lambda: list(DEFAULT_RETRY_ON))
    """Error kinds that retry (``raikoo_common.error_kinds``); ``any`` retries every
    retryable error."""


TriggerRule = Literal["all_succeeded", "none_failed", "one_succeeded", "all_done", "always"]
TRIGGER_RULES: tuple[str, ...] = get_args(TriggerRule)
BRANCHING_KINDS = frozenset({"if", "switch"})
LOOP_KINDS = frozenset({"foreach", "for", "while", "until"})


class OperationSpec(_Strict):
    uses: str = Field(min_length=1)
    with_: dict[str, Any] = Field(default_factory=dict, alias="with")
    needs: list[str] = Field(default_factory=list)
    when: str | None = None
    """A trigger rule (``all_done``…) or a ``{{ condition }}``; false skips the operation."""
    retry: RetryPolicy | None = None
    timeout: Duration | None = None
    name: str | None = None
    description: str | None = None
    then: list[str] = Field(default_factory=list)
    else_: list[str] = Field(default_factory=list, alias="else")
    cases: dict[str, list[str]] = Field(default_factory=dict)
    default: list[str] = Field(default_factory=list)
    do: OperationSpec | dict[OperationKey, OperationSpec] | None = None
    """A loop's body: one operation, or a group of operations keyed by name."""

    @field_validator("when")
    @classmethod
    def _rule_or_condition(cls, value: str | None) -> str | None:
        if value is None or value in TRIGGER_RULES or "{{" in value:
            return value
        rules = ", ".join(TRIGGER_RULES)
        raise ValueError(f"must be a trigger rule ({rules}) or a condition like '{{{{ expr }}}}'")

    @field_validator("cases", mode="before")
    @classmethod
    def _case_values_as_text(cls, value: Any) -> Any:
        # YAML reads `1:` and `true:` as numbers and booleans; cases match by text.
        if isinstance(value, dict):
            return {case_label(key): members for key, members in value.items()}
        return value

    @field_validator("do", mode="before")
    @classmethod
    def _single_or_group(cls, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("uses"), str):
            return OperationSpec.model_validate(value)
        return value

    @property
    def trigger(self) -> str:
        return self.when if self.when in TRIGGER_RULES else "all_succeeded"

    @property
    def condition(self) -> str | None:
        return None if self.when is None or self.when in TRIGGER_RULES else self.when

    def branches(self) -> dict[str, list[str]]:
        """The operations each outcome of an ``if``/``switch`` leads to."""
        if self.uses == "if":
            return {"then": self.then, "else": self.else_}
        if self.uses == "switch":
            return {**self.cases, "default": self.default}
        return {}

    def body(self) -> dict[str, OperationSpec]:
        """A loop body by sub-key; a single-operation body has the sub-key ``""``."""
        if self.do is None:
            return {}
        return {"": self.do} if isinstance(self.do, OperationSpec) else dict(self.do)


def case_label(value: Any) -> str:
    """How a ``switch`` value and a case key compare: as text, booleans in lower case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


InputType = Literal["string", "number", "integer", "boolean", "object", "array", "any"]


class InputSpec(_Strict):
    type: InputType = "any"
    default: Any = None
    required: bool | None = None
    """Defaults to true when no default is given."""
    description: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _required_unless_defaulted(cls, data: Any) -> Any:
        # Decided once, so the stored canonical form (which spells out `default: null`)
        # keeps the meaning of what the author wrote.
        if isinstance(data, dict) and data.get("required") is None:
            return {**data, "required": "default" not in data}
        return data

    @property
    def is_required(self) -> bool:
        return bool(self.required)


class WorkflowSettings(_Strict):
    max_parallel: int = Field(default=16, ge=1, le=10_000)
    timeout: Duration | None = None
    fail_fast: bool = False
    """Cancel the rest of the run as soon as one operation has finally failed."""


class WorkflowDefinition(_Strict):
    api_version: Literal["raikoo/v1"] = Field(default="raikoo/v1", alias="apiVersion")
    kind: Literal["Workflow"] = "Workflow"
    name: str = Field(pattern=NAME_PATTERN)
    description: str | None = None
    inputs: dict[str, InputSpec] = Field(default_factory=dict)
    settings: WorkflowSettings = Field(default_factory=WorkflowSettings)
    operations: dict[OperationKey, OperationSpec] = Field(min_length=1)
    outputs: dict[str, Any] = Field(default_factory=dict)
    metadata: dict[str, Any] = Field(default_factory=dict)
    """Free-form data for tools, never read by the engine: the web console keeps its node
    positions here (``metadata.layout``), so they live in the file kept in git."""

    def to_document(self) -> dict[str, Any]:
        """The canonical JSON form, as stored in a workflow version (without empty
        ``metadata``, so a definition's digest is the same as before that key existed)."""
        document = self.model_dump(mode="json", by_alias=True, exclude_defaults=False)
        if not document["metadata"]:
            del document["metadata"]
        return document
