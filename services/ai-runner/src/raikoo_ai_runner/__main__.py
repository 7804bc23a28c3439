"""``python -m raikoo_ai_runner``: the AI operation runner as its own process."""

from raikoo_common.event_loop import pause_collection

pause_collection()  # before the imports below: they are most of a start-up

from functools import partial

import structlog

from raikoo_ai_runner.app import build_ai_runner
from raikoo_ai_runner.settings import AiRunnerSettings
from raikoo_common.budgets.http_client import budget_ledger_client
from raikoo_common.runner.process import serve_runner
from raikoo_common.runtime import run

log = structlog.get_logger(__name__)


async def main() -> None:
    settings = AiRunnerSettings()
    budgets = budget_ledger_client(settings)
    if budgets is None:
        log.warning(
            "budgets are not enforced: set RAIKOO_BUDGET_LEDGER_URL (the gateway) and "
            "RAIKOO_BUDGET_LEDGER_TOKEN"
        )
    try:
        await serve_runner("ai-runner", settings, partial(build_ai_runner, budgets=budgets))
    finally:
        if budgets is not None:
            await budgets.close()


if __name__ == "__main__":
    run(main())
