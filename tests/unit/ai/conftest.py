"""The AI kinds against the fake OpenAI-compatible server on loopback, opened for these
tests by the ai-runner's allow list."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import orjson
import pytest
import structlog
from pydantic import BaseModel

from raikoo_ai_runner import runtime
from raikoo_common.messages import OperationUsage
from raikoo_common.runner import Kind, OperationContext


@pytest.fixture(autouse=True)
async def _ai_settings(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[None]:
    for name in (
        "RAIKOO_AI_BASE_URL",
        "RAIKOO_AI_API_KEY",
        "RAIKOO_AI_MODEL",
        "RAIKOO_AI_PROVIDER",
        "RAIKOO_AI_AZURE_ENDPOINT",
        "RAIKOO_AI_PRICES",
        "RAIKOO_AI_MCP_STDIO_SERVERS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RAIKOO_AI_ALLOW_HOSTS", '["127.0.0.1"]')
    monkeypatch.setenv("RAIKOO_AI_RETRY_MAX_WAIT", "0.05")
    runtime.reset()
    yield
    await runtime.close_clients()
    runtime.reset()


@dataclass
class Ran:
    streamed: list[str] = field(default_factory=list)
    usage: list[OperationUsage] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(self.streamed)


def ai_context(ran: Ran, *, dry_run: bool = False, artifacts: Any = None) -> OperationContext:
    return OperationContext(
        org_id=uuid.uuid4(),
        project_id=uuid.uuid4(),
        run_id=uuid.uuid4(),
        op_run_id=uuid.uuid4(),
        op_key="ask",
        attempt=1,
        log=structlog.get_logger(),
        artifacts=artifacts,
        dry_run=dry_run,
        stream=ran.streamed.append,
        record_usage=ran.usage.append,
    )


async def run_ai(
    kind: Kind[Any], config: dict[str, Any], ran: Ran | None = None, **context: Any
) -> Any:
    """The kind's output as JSON data, as the executor would publish it."""
    assert kind.execute is not None
    output = await kind.execute(
        kind.config.model_validate(config), ai_context(ran or Ran(), **context)
    )
    data = output.model_dump(mode="json") if isinstance(output, BaseModel) else output
    return orjson.loads(orjson.dumps(data))


def provider(fake: Any, **more: Any) -> dict[str, Any]:
    return {"kind": "compatible", "base_url": fake.base_url, **more}
