"""``ai.prompt``: plan, build the messages, check what goes out, converse (with tools),
align the answer (repairing it if allowed), process it."""

from __future__ import annotations

import json
from contextlib import AsyncExitStack
from typing import Any

from raikoo_ai_runner.alignment.guardrails import violations
from raikoo_ai_runner.alignment.pii import PiiMasker
from raikoo_ai_runner.config.prompt import (
    AlignmentDecision,
    PromptConfig,
    PromptOutput,
    RequestRecord,
)
from raikoo_ai_runner.dry_run import mock_answer
from raikoo_ai_runner.processing import process
from raikoo_ai_runner.prompting import align
from raikoo_ai_runner.prompting.loop import Conversation, TextFilters, converse, unchanged
from raikoo_ai_runner.prompting.messages import build_messages, map_text, recorded, sent_text
from raikoo_ai_runner.prompting.plan import Plan, plan
from raikoo_ai_runner.providers.connection import Connection, resolve_connection
from raikoo_ai_runner.providers.usage import UsageMeter
from raikoo_ai_runner.runtime import price_table, provider_for
from raikoo_ai_runner.settings import current_settings
from raikoo_ai_runner.tools.box import open_toolbox
from raikoo_common.runner import OperationContext, OperationError

SCHEMA_INSTRUCTIONS = (
    "Reply with one JSON value only, no prose and no code fence, that fits this JSON Schema:\n"
)


async def execute(config: PromptConfig, context: OperationContext) -> PromptOutput:
    settings = current_settings()
    the_plan = plan(config)
    meter = UsageMeter(price_table())
    decisions: list[AlignmentDecision] = []
    schema = config.output_schema
    connection = None if context.dry_run else resolve_connection(the_plan.provider, settings)
    model = _model(the_plan, connection)
    native = bool(schema is not None and connection and connection.config.native_structured_outputs)
    note = None if schema is None or native else SCHEMA_INSTRUCTIONS + json.dumps(schema)
    messages = await build_messages(the_plan, context, note)
    alignment = the_plan.alignment
    for rule, detail in violations(alignment.input, sent_text(messages), "input"):
        decisions.append(
            AlignmentDecision(rule=rule, stage="input", outcome="violated", detail=detail)
        )
        raise OperationError(
            f"the prompt breaks {rule}: {detail}", kind="guardrail", retryable=False
        )
    if alignment.input is not None:
        decisions.append(
            AlignmentDecision(rule="input.guardrails", stage="input", outcome="passed")
        )
    masker = PiiMasker(alignment.pii.kinds) if alignment.pii else None
    if masker is not None:
        messages = map_text(messages, masker.mask)
        counts = (
            ", ".join(f"{n} {kind.lower()}" for kind, n in masker.masked.items()) or "none found"
        )
        decisions.append(
            AlignmentDecision(rule="pii", stage="input", outcome="masked", detail=counts)
        )
    params = _parameters(the_plan, model, connection, native)
    request = RequestRecord(
        model=model,
        messages=recorded(messages),
        parameters={k: v for k, v in params.items() if k not in ("model", "tools")},
        tools=[tool.name for tool in the_plan.tools],
        structured_output=native,
    )
    conversation = Conversation(messages=list(messages))
    write = context.stream if config.stream else None
    if context.dry_run:
        text = mock_answer(config.mock, schema)
        if write is not None:
            write(text)
        finish: str | None = "dry_run"
        repairs = 0
        async with AsyncExitStack() as stack:
            await open_toolbox(the_plan.tools, context, settings, stack)  # checks them
    else:
        assert connection is not None
        try:
            text, finish, repairs = await _answer(
                the_plan, connection, params, conversation, context, meter, decisions, write, masker
            )
        except BaseExceptionGroup as group:
            # The MCP SDK's task groups wrap what is raised inside a session's lifetime.
            raise _first_operation_error(group) from None
    if masker is not None and alignment.pii is not None and alignment.pii.restore:
        text = masker.restore(text)
    processed = process(text, config.response, structured=schema is not None)
    usage = meter.total()
    return PromptOutput(
        text=text,
        data=processed.data,
        outputs=processed.outputs,
        result=processed.result,
        model=model,
        finish_reason=finish,
        request=request,
        tool_calls=conversation.records,
        alignment=decisions,
        steps=conversation.steps,
        repairs=repairs,
        usage=usage,
        cost=usage.cost,
        dry_run=context.dry_run,
    )


async def _answer(
    the_plan: Plan,
    connection: Connection,
    params: dict[str, Any],
    conversation: Conversation,
    context: OperationContext,
    meter: UsageMeter,
    decisions: list[AlignmentDecision],
    write: Any,
    masker: PiiMasker | None,
) -> tuple[str, str | None, int]:
    config, alignment = the_plan.config, the_plan.alignment
    settings = current_settings()
    restore = masker is not None and alignment.pii is not None and alignment.pii.restore
    filters = TextFilters(
        to_tool=masker.restore if masker is not None and restore else unchanged,
        to_model=masker.mask if masker is not None else unchanged,
    )
    async with AsyncExitStack() as stack:
        toolbox = await open_toolbox(the_plan.tools, context, settings, stack)
        if toolbox.entries:
            params = {**params, "tools": toolbox.functions()}
            params.update(_tool_choice(config.tool_choice, config.parallel_tool_calls))
        provider = await stack.enter_async_context(provider_for(connection, context, meter))
        moderation = alignment.moderation
        if moderation is not None and moderation.input:
            flagged = await provider.moderate(moderation.model, sent_text(conversation.messages))
            outcome = "violated" if flagged else "passed"
            detail = ", ".join(flagged) or None
            decisions.append(
                AlignmentDecision(rule="moderation", stage="input", outcome=outcome, detail=detail)
            )
            if flagged:
                raise OperationError(
                    f"the prompt was flagged by moderation for {detail}",
                    kind="moderation",
                    retryable=False,
                )
        repairs = 0
        while True:
            completion = await converse(
                provider,
                params,
                conversation,
                toolbox,
                context,
                max_tool_steps=config.max_tool_steps,
                write=write,
                filters=filters,
            )
            violation = await align.check_output(
                provider,
                completion.text,
                schema=config.output_schema,
                alignment=alignment,
                model=params["model"],
                decisions=decisions,
            )
            if violation is None:
                return completion.text, completion.finish_reason, repairs
            if not violation.repairable or repairs >= config.max_repairs:
                raise align.failure(violation, repairs)
            repairs += 1
            decisions.append(
                AlignmentDecision(
                    rule=violation.rule,
                    stage="output",
                    outcome="repaired",
                    detail=f"repair {repairs}",
                )
            )
            conversation.messages.append({"role": "assistant", "content": completion.text})
            conversation.messages.append(align.repair_message(violation))
            if write is not None:
                write("\n\n")


def _first_operation_error(group: BaseExceptionGroup[BaseException]) -> BaseException:
    for error in group.exceptions:
        inner = _first_operation_error(error) if isinstance(error, BaseExceptionGroup) else error
        if isinstance(inner, OperationError):
            return inner
    return group


def _model(the_plan: Plan, connection: Connection | None) -> str:
    model = the_plan.model or (connection.chat_model if connection else None)
    if model is None and connection is not None and connection.config.kind == "azure":
        model = connection.config.deployment
    if model is None:
        if connection is None:
            return "dry-run"
        message = "no model is named: set `model` on the operation or its persona" + (
            ", or RAIKOO_AI_MODEL for the runner's default connection" if connection.default else ""
        )
        raise OperationError(message, kind="invalid_config", retryable=False)
    return model


def _parameters(
    the_plan: Plan, model: str, connection: Connection | None, native: bool
) -> dict[str, Any]:
    sampling = dict(the_plan.sampling)
    params: dict[str, Any] = {"model": model}
    if (max_tokens := sampling.pop("max_tokens", None)) is not None:
        # OpenAI's reasoning models know only max_completion_tokens; most compatible servers
        # know only max_tokens.
        compatible = connection is not None and connection.config.kind == "compatible"
        params["max_tokens" if compatible else "max_completion_tokens"] = max_tokens
    params.update(sampling)
    schema = the_plan.config.output_schema
    if native and schema is not None:
        params["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": "answer", "schema": schema, "strict": False},
        }
    return params


def _tool_choice(choice: str, parallel: bool) -> dict[str, Any]:
    params: dict[str, Any] = {"parallel_tool_calls": parallel}
    if choice in ("auto", "none", "required"):
        params["tool_choice"] = choice
    else:
        params["tool_choice"] = {"type": "function", "function": {"name": choice}}
    return params
