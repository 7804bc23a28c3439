"""Run an operation kind as the executor does: validate the config, execute, and read the
output back as JSON."""

from __future__ import annotations

import uuid
from typing import Any

import orjson
import structlog
from pydantic import BaseModel

from raikoo_common.runner import JsonBytes, Kind, OperationContext


def context(op_key: str = "op", org_id: uuid.UUID | None = None) -> OperationContext:
    return OperationContext(
        org_id=org_id or uuid.uuid4(),
        project_id=uuid.uuid4(),
        run_id=uuid.uuid4(),
        op_run_id=uuid.uuid4(),
        op_key=op_key,
        attempt=1,
        log=structlog.get_logger(),
    )


async def run_kind(kind: Kind[Any], config: dict[str, Any], op_key: str = "op") -> Any:
    assert kind.execute is not None
    output = await kind.execute(kind.config.model_validate(config), context(op_key))
    if isinstance(output, JsonBytes):  # written in a worker: read as the executor would
        return output.value()
    data = output.model_dump(mode="json") if isinstance(output, BaseModel) else output
    return orjson.loads(orjson.dumps(data))
