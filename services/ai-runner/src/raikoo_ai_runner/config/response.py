"""Response processing of an ``ai.prompt``: parse, extract, map, post-process.

The scheduler leaves this field unrendered (``raikoo_common.workflow.deferred``): its
template is rendered by the runner over the answer."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from raikoo_common.workflow.jmespath_checks import JMESPathExpression, check_expression


class ResponseProcessing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    parse: Literal["auto", "text", "json", "lines"] = Field(
        default="auto",
        description=(
            "text: data is the answer; json: the answer must be JSON (a ```json fence is "
            "accepted); lines: a list of its non-empty lines; auto: json with an "
            "output_schema, else text."
        ),
    )
    jmespath: JMESPathExpression | None = Field(
        default=None, max_length=2000, description="Extract from the parsed data."
    )
    regex: str | None = Field(
        default=None,
        max_length=2000,
        description="Extract from the text: the first match (its named groups as an object, "
        "else its first group, else the whole match).",
    )
    outputs: dict[str, str] = Field(
        default_factory=dict,
        description="Named outputs: JMESPath expressions over the data.",
    )
    template: str | None = Field(
        default=None,
        max_length=100_000,
        description="Rendered over `text`, `data` and `outputs` into `result`.",
    )

    @field_validator("outputs")
    @classmethod
    def _valid_outputs(cls, outputs: dict[str, str]) -> dict[str, str]:
        for name, expression in outputs.items():
            try:
                check_expression(expression)
            except ValueError as exc:
                raise ValueError(f"outputs.{name}: {exc}") from None
        return outputs

    @field_validator("regex")
    @classmethod
    def _compiles(cls, regex: str | None) -> str | None:
        if regex is not None:
            try:
                re.compile(regex)
            except re.error as exc:
                raise ValueError(f"invalid regular expression: {exc}") from None
        return regex

    @model_validator(mode="after")
    def _one_extractor(self) -> ResponseProcessing:
        if self.jmespath is not None and self.regex is not None:
            raise ValueError("give jmespath or regex, not both")
        return self
