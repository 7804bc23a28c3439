"""AI budgets: limits on what model calls may spend, per organization or project, per run
or per calendar month, in tokens or US dollars (docs/ai.md).

The ledger is a port: ``reserve`` an estimate before a provider call, ``settle`` it with
what the call spent after. Its implementation keeps the figures in the shared database
(``raikoo_common.db.budgets``), so every ai-runner replica draws on the same totals.
"""

from raikoo_common.budgets.port import (
    BudgetExceeded,
    BudgetLedger,
    BudgetPeriod,
    BudgetUnit,
    Charge,
    ChargeScope,
    RateLimits,
    Reservation,
    month_window,
)

__all__ = [
    "BudgetExceeded",
    "BudgetLedger",
    "BudgetPeriod",
    "BudgetUnit",
    "Charge",
    "ChargeScope",
    "RateLimits",
    "Reservation",
    "month_window",
]
