"""Output alignment: the answer checked against the output schema, the output guardrails,
moderation and the judge, in that order; a failed check asks the model again, quoting
what was wrong, while repairs are left — always for the schema, per ``on_violation`` for
the other rules — else fails the operation naming the rule. Every check is recorded."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import orjson

from raikoo_ai_runner.alignment.guardrails import violations
from raikoo_ai_runner.config.alignment import Alignment, Judge
from raikoo_ai_runner.config.prompt import AlignmentDecision
from raikoo_ai_runner.providers.answer import Completion
from raikoo_ai_runner.providers.calls import Provider
from raikoo_ai_runner.schemas import validation_errors
from raikoo_common.runner import OperationError

_FENCE = re.compile(r"^\s*```(?:json)?\s*\n(.*)\n\s*```\s*$", re.DOTALL)
JUDGE_INSTRUCTIONS = (
    "You review an answer against a rubric. Reply with a JSON object only: "
    '{"approved": true or false, "reason": "<one sentence>"}.'
)


@dataclass(frozen=True)
class Violation:
    rule: str
    detail: str
    kind: str
    repairable: bool


def parse_json(text: str) -> Any:
    """The answer as JSON (a ```json fence around it is accepted); ValueError if it is not."""
    match = _FENCE.match(text)
    try:
        return orjson.loads(match.group(1) if match else text)
    except orjson.JSONDecodeError as exc:
        raise ValueError(f"the answer is not JSON: {exc}") from None


async def check_output(
    provider: Provider,
    text: str,
    *,
    schema: dict[str, Any] | None,
    alignment: Alignment,
    model: str,
    decisions: list[AlignmentDecision],
) -> Violation | None:
    """The first rule ``text`` breaks (recording every check made), or None."""
    if schema is not None:
        try:
            errors = validation_errors(schema, parse_json(text))
        except ValueError as exc:
            errors = [str(exc)]
        if errors:
            detail = "; ".join(errors)
            decisions.append(
                AlignmentDecision(
                    rule="output_schema", stage="output", outcome="violated", detail=detail
                )
            )
            return Violation("output_schema", detail, "schema_mismatch", True)
        decisions.append(AlignmentDecision(rule="output_schema", stage="output", outcome="passed"))
    repairable = alignment.on_violation == "repair"
    for rule, detail in violations(alignment.output, text, "output"):
        decisions.append(
            AlignmentDecision(rule=rule, stage="output", outcome="violated", detail=detail)
        )
        return Violation(rule, detail, "guardrail", repairable)
    if alignment.output is not None:
        decisions.append(
            AlignmentDecision(rule="output.guardrails", stage="output", outcome="passed")
        )
    moderation = alignment.moderation
    if moderation is not None and moderation.output:
        flagged = await provider.moderate(moderation.model, text)
        if flagged:
            detail = "flagged for " + ", ".join(flagged)
            decisions.append(
                AlignmentDecision(
                    rule="moderation", stage="output", outcome="violated", detail=detail
                )
            )
            return Violation("moderation", detail, "moderation", repairable)
        decisions.append(AlignmentDecision(rule="moderation", stage="output", outcome="passed"))
    if alignment.judge is not None:
        approved, reason = await _judge(provider, alignment.judge, text, model)
        outcome = "approved" if approved else "rejected"
        decisions.append(
            AlignmentDecision(rule="judge", stage="output", outcome=outcome, detail=reason)
        )
        if not approved:
            return Violation("judge", reason, "judge_rejected", repairable)
    return None


def repair_message(violation: Violation) -> dict[str, Any]:
    return {
        "role": "user",
        "content": (
            f"Your answer breaks the rule {violation.rule}: {violation.detail}. "
            "Answer again, following the instructions and fixing this; reply with the "
            "corrected answer only."
        ),
    }


def failure(violation: Violation, repairs: int) -> OperationError:
    tried = f" after {repairs} repair{'s' if repairs != 1 else ''}" if repairs else ""
    message = f"the answer breaks {violation.rule}{tried}: {violation.detail}"
    return OperationError(message, kind=violation.kind, retryable=False)


async def _judge(provider: Provider, judge: Judge, text: str, model: str) -> tuple[bool, str]:
    system = "\n\n".join(part for part in (judge.instructions, JUDGE_INSTRUCTIONS) if part)
    params: dict[str, Any] = {
        "model": judge.model or model,
        "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": f"Rubric:\n{judge.rubric}\n\nAnswer to review:\n{text}"},
        ],
    }
    if judge.temperature is not None:
        params["temperature"] = judge.temperature
    verdict: Completion = await provider.chat(params)
    try:
        data = parse_json(verdict.text)
    except ValueError:
        return False, f"the judge's verdict is not JSON: {verdict.text[:200]}"
    if not isinstance(data, dict) or not isinstance(data.get("approved"), bool):
        return False, f"the judge's verdict has no approved: true/false: {verdict.text[:200]}"
    return data["approved"], str(data.get("reason") or "")
