"""Composition root of the ai-runner: wiring only."""

from raikoo_ai_runner.kinds import catalog
from raikoo_ai_runner.settings import AiRunnerSettings
from raikoo_common.budgets import BudgetLedger
from raikoo_common.bus import Bus
from raikoo_common.messages import Channel
from raikoo_common.runner.executor import OperationExecutor
from raikoo_common.runner.wiring import attach_executor
from raikoo_common.secrets import SecretStore
from raikoo_common.storage import Artifacts


def build_ai_runner(
    settings: AiRunnerSettings,
    bus: Bus,
    artifacts: Artifacts | None,
    secrets: SecretStore | None = None,
    *,
    bus_keeps_messages: bool = True,
    budgets: BudgetLedger | None = None,
) -> OperationExecutor:
    return attach_executor(
        bus,
        catalog(),
        Channel.OPS_READY_AI,
        concurrency=settings.ai_runner_concurrency,
        max_deliveries=settings.bus_max_deliveries,
        artifacts=artifacts,
        secrets=secrets,
        bus_keeps_messages=bus_keeps_messages,
        budgets=budgets,
    )
