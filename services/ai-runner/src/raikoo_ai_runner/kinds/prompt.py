"""``ai.prompt``: a chat completion with a persona, tools, alignment and response processing
(docs/ai.md)."""

from __future__ import annotations

from raikoo_ai_runner.config.prompt import PromptConfig, PromptOutput
from raikoo_common.runner import Kind, OperationContext


async def execute(config: PromptConfig, context: OperationContext) -> PromptOutput:
    # The SDKs load with the first call, not with the catalog: the gateway lists and
    # validates kinds without them.
    from raikoo_ai_runner.prompting.run import execute as run

    return await run(config, context)


KIND = Kind(
    name="ai.prompt",
    family="ai",
    config=PromptConfig,
    output=PromptOutput,
    execute=execute,
    summary=(
        "Asks a model (OpenAI, Azure OpenAI or any OpenAI-compatible server): persona, "
        "examples, history, attachments, tools (HTTP, MCP, workflow), output schema with "
        "repairs, guardrails, PII masking, moderation, judge; streams the answer."
    ),
)
