"""``ai.embed``: the texts in batches of the provider's limit, one request at a time (the
connection's concurrency limit is shared with every other operation), vectors in order."""

from __future__ import annotations

from raikoo_ai_runner.config.embed import EmbedConfig, EmbedOutput
from raikoo_ai_runner.dry_run import mock_vectors
from raikoo_ai_runner.providers.connection import resolve_connection
from raikoo_ai_runner.providers.usage import UsageMeter
from raikoo_ai_runner.runtime import price_table, provider_for
from raikoo_ai_runner.settings import current_settings
from raikoo_common.runner import OperationContext, OperationError


async def execute(config: EmbedConfig, context: OperationContext) -> EmbedOutput:
    texts = [config.input] if isinstance(config.input, str) else list(config.input)
    meter = UsageMeter(price_table())
    if context.dry_run:
        vectors = config.mock if config.mock is not None else mock_vectors(texts, config.dimensions)
        model: str | None = config.model or "dry-run"
    else:
        settings = current_settings()
        if isinstance(config.provider, str):
            message = (
                f"provider {config.provider!r} was not resolved: names are resolved when a "
                "workflow is stored; give the connection inline to run this by itself"
            )
            raise OperationError(message, kind="invalid_config", retryable=False)
        connection = resolve_connection(config.provider, settings)
        model = (
            config.model
            or connection.embedding_model
            or (connection.config.deployment if connection.config.kind == "azure" else None)
        )
        if model is None:
            message = "no embedding model is named: set `model`" + (
                ", or RAIKOO_AI_EMBEDDING_MODEL" if connection.default else ""
            )
            raise OperationError(message, kind="invalid_config", retryable=False)
        batch = config.batch_size or connection.config.batch_limit
        vectors = []
        async with provider_for(connection, context, meter) as provider:
            for start in range(0, len(texts), batch):
                part = texts[start : start + batch]
                got = await provider.embed(model, part, config.dimensions)
                if len(got) != len(part):
                    message = f"the provider returned {len(got)} vectors for {len(part)} texts"
                    raise OperationError(message, kind="provider_error", retryable=True)
                vectors.extend(got)
    usage = meter.total()
    assert model is not None
    return EmbedOutput(
        embeddings=vectors,
        embedding=vectors[0] if isinstance(config.input, str) and vectors else None,
        model=model,
        dimensions=len(vectors[0]) if vectors else 0,
        count=len(vectors),
        usage=usage,
        cost=usage.cost,
        dry_run=context.dry_run,
    )
