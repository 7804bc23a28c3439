"""``raikoo approve``: decide an operation that waits for approval."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import httpx

from raikoo.console import say
from raikoo.exit_codes import Exit
from raikoo.sdk import ApiError, AsyncClient


async def decide(
    server: str,
    run_id: str,
    op_key: str,
    *,
    reject: bool,
    comment: str | None,
    data_dir: Path | None = None,
) -> Exit:
    decision: Literal["approve", "reject"] = "reject" if reject else "approve"
    async with AsyncClient(server, data_dir=data_dir) as client:
        try:
            await client.runs.decide(run_id, op_key, decision, comment)
        except ApiError as exc:
            say(str(exc), style="red")
            return Exit.FAILED
        except httpx.HTTPError as exc:
            say(f"no Raikoo API at {server}: {exc}", style="red")
            return Exit.FAILED
    say(f"{'rejected' if reject else 'approved'} {op_key} of run {run_id}")
    return Exit.OK
