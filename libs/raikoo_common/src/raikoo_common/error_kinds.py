"""The kinds of error an operation or a run can fail with (``ErrorInfo.kind``), each with
what it means: the one list that ``retry.on`` is checked against and the docs describe.

A new kind raised anywhere belongs here too (``tests/unit/test_error_kinds.py`` finds the
kinds written in the code and fails on one missing here). The ``fail`` kind reports the
``error_kind`` it is given, so a workflow may also retry on the kinds its ``fail``
operations declare.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

RETRY_ANY = "any"
"""In ``retry.on``: every retryable error."""

DEFAULT_RETRY_ON = ("error", "timeout", "lost")

ERROR_KINDS: Mapping[str, str] = MappingProxyType(
    {
        # Operations, wherever they run
        "error": "the operation raised an error it did not classify",
        "timeout": "an attempt (or the run) exceeded its timeout",
        "lost": "the runner stopped answering for an attempt (its lease expired)",
        "cancelled": "the run was cancelled",
        "dead_lettered": "no runner could process the operation's message",
        "invalid_config": "the rendered `with` does not fit the kind's config schema",
        "invalid_inputs": "a project operation's or a called workflow's inputs do not fit",
        "invalid_output": "the output is not JSON, or holds text that cannot be stored",
        "output_too_large": "the output exceeds the size an operation may return",
        "unknown_kind": "no runner offers the operation's kind",
        "template": "a template failed to render",
        "artifact": "an artifact could not be read or written",
        "secret_unavailable": "a secret the operation reads does not exist or cannot be read",
        # http.request
        "blocked_url": "the destination is not public and not allow-listed",
        "connection": "the connection failed",
        "http_status": "the server answered with an error status",
        "invalid_response": "the response could not be read as asked",
        "response_too_large": "the response exceeds max_response_bytes",
        "redirect_refused": "a redirect would carry the request's body to another origin",
        # AI kinds (ai.prompt, ai.embed)
        "no_provider": "no AI provider connection is configured for the operation or runner",
        "provider_auth": "the AI provider refused the credentials (401/403)",
        "unknown_model": "the AI provider does not know the model or deployment (404)",
        "provider_error": "the AI provider refused the request (another 4xx)",
        "context_length": "the messages and answer do not fit the model's context window",
        "rate_limited": "the AI provider still answered 429 after the retries",
        "provider_unavailable": "the AI provider still failed (5xx) after the retries",
        "refused": "the model refused to answer",
        "budget_exceeded": "a model call would exceed a budget (the message names it)",
        "budget_unavailable": "the budget ledger could not be reached to reserve a call",
        "tool_loop": "the model asked for tools in more than max_tool_steps calls",
        "invalid_tool_call": "the model called an unknown tool, or gave invalid arguments, again "
        "after being told",
        "tool_unavailable": "a tool cannot be used by this runner (workflow tools, until wired)",
        "schema_mismatch": "the answer still did not fit output_schema after max_repairs",
        "guardrail": "a guardrail rule fired (the message names it)",
        "moderation": "the moderation endpoint flagged the text",
        "judge_rejected": "the judge did not approve the answer",
        # Data and text kinds
        "invalid_input": "the data given to the operation cannot be processed",
        "invalid_json": "text that should be JSON is not",
        "invalid_pattern": "a regular expression does not compile",
        "invalid_expression": "a JMESPath expression does not compile",
        "expression_error": "a JMESPath expression failed on the data",
        "unsupported": "the conversion asked for is not supported",
        "tokenizer_unavailable": "the tokenizer asked for cannot be loaded",
        # Control kinds, decided by the scheduler
        "item_failed": "an item of a fail_fast loop failed",
        "item_errors": "items of a loop that continues past failures failed",
        "max_iterations": "a while/until loop reached max_iterations",
        "too_many_items": "a loop has more body runs than allowed",
        "not_found": "the workflow a workflow.call names does not exist",
        "recursion": "workflow.call nests deeper than allowed",
        "child_failed": "the workflow a workflow.call started failed",
        "child_cancelled": "the workflow a workflow.call started was cancelled",
        "rejected": "a wait.approval was rejected",
        "operation_failed": "(a run's error) one of its operations failed",
        "internal": "(a run's error) the scheduler could not apply a command to it; the "
        "message names the reason",
    }
)
