"""``ai.embed``: embedding vectors for a text or a list of texts, batched (docs/ai.md)."""

from __future__ import annotations

from raikoo_ai_runner.config.embed import EmbedConfig, EmbedOutput
from raikoo_common.runner import Kind, OperationContext


async def execute(config: EmbedConfig, context: OperationContext) -> EmbedOutput:
    from raikoo_ai_runner.embedding import execute as run

    return await run(config, context)


KIND = Kind(
    name="ai.embed",
    family="ai",
    config=EmbedConfig,
    output=EmbedOutput,
    execute=execute,
    summary="Embedding vectors for a text or a list of texts, batched per the provider's limit.",
)
