"""Alignment of an ``ai.prompt``: guardrails on what goes out and what comes back, PII
masking, moderation and a judge. The output schema and its repairs sit on the prompt."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

PiiKind = Literal["email", "phone", "card", "iban"]
ALL_PII: tuple[PiiKind, ...] = ("email", "phone", "card", "iban")


class Pattern(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=128, description="Named in errors and records.")
    regex: str = Field(min_length=1, max_length=2000, description="A Python regular expression.")
    ignore_case: bool = False

    @field_validator("regex")
    @classmethod
    def _compiles(cls, regex: str) -> str:
        try:
            re.compile(regex)
        except re.error as exc:
            raise ValueError(f"invalid regular expression: {exc}") from None
        return regex


class Guardrails(BaseModel):
    model_config = ConfigDict(extra="forbid")

    deny: list[Pattern] = Field(
        default_factory=list, max_length=100, description="Text matching any of these fails."
    )
    require: list[Pattern] = Field(
        default_factory=list, max_length=100, description="Text must match each of these."
    )
    max_chars: int | None = Field(
        default=None, ge=1, description="Longest text allowed (characters)."
    )


class PiiMasking(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kinds: list[PiiKind] = Field(
        default_factory=lambda: list(ALL_PII),
        description="What is masked before text leaves for the provider.",
    )
    restore: bool = Field(
        default=False,
        description="Put the original values back where the answer quotes their placeholders.",
    )


class Moderation(BaseModel):
    model_config = ConfigDict(extra="forbid")

    input: bool = Field(default=False, description="Check the prompt before the call.")
    output: bool = Field(default=True, description="Check the answer.")
    model: str = Field(default="omni-moderation-latest", max_length=128)


class Judge(BaseModel):
    """A second model call that must approve the answer against a rubric."""

    model_config = ConfigDict(extra="forbid")

    rubric: str = Field(min_length=1, max_length=20_000)
    instructions: str | None = Field(
        default=None, max_length=20_000, description="The judge persona's system prompt."
    )
    model: str | None = Field(default=None, max_length=256, description="Default: the prompt's.")
    temperature: float | None = Field(default=0.0, ge=0, le=2)


class Alignment(BaseModel):
    model_config = ConfigDict(extra="forbid")

    input: Guardrails | None = Field(default=None, description="Checked on what is sent.")
    output: Guardrails | None = Field(default=None, description="Checked on the answer.")
    pii: PiiMasking | None = Field(default=None, description="Masks PII before sending.")
    moderation: Moderation | None = None
    judge: Judge | None = None
    on_violation: Literal["fail", "repair"] = Field(
        default="fail",
        description=(
            "An output rule that fails: fail the operation naming the rule, or ask the model "
            "again quoting it (up to the prompt's max_repairs). Input rules always fail."
        ),
    )
