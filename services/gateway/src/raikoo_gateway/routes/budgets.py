"""Budgets: what AI calls may spend, per organization or project, per run or calendar
month, in tokens or US dollars. Admins set them; every member reads them (docs/ai.md).

``scope=project`` (the default) is the request's project (its key's, or the
``Raikoo-Project`` header's); ``scope=organization`` limits all projects together and
needs a key that is not bound to a project.
"""

from datetime import datetime
from typing import Annotated

from fastapi import Query, Response
from pydantic import BaseModel, ConfigDict, Field

from raikoo_common.budgets import BudgetPeriod, BudgetUnit
from raikoo_common.db.engine import read_only
from raikoo_gateway.auth.policy import AdminAccess, ViewerAccess
from raikoo_gateway.context import ContextDep
from raikoo_gateway.routing import Routes
from raikoo_gateway.service import budgets as service
from raikoo_gateway.service import transactions

router = Routes(prefix="/v1/budgets", tags=["budgets"])

ScopeQuery = Annotated[
    service.Scope,
    Query(
        description="project: the request's project's own budget; organization: the "
        "organization's, which all its projects' calls count against together"
    ),
]
PeriodField = Field(description="run: each run on its own; month: per calendar month (UTC)")
UnitField = Field(description="tokens (prompt + completion), or usd (from the price table)")


class BudgetBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"scope": "project", "period": "month", "unit": "tokens", "limit": 2_000_000},
                {"scope": "organization", "period": "month", "unit": "usd", "limit": 250},
                {"scope": "project", "period": "run", "unit": "usd", "limit": 0.5},
            ]
        },
    )

    scope: service.Scope = "project"
    period: BudgetPeriod = PeriodField
    unit: BudgetUnit = UnitField
    limit: float = Field(gt=0, le=1e15, description="In the unit: tokens, or US dollars")


class Budget(BaseModel):
    scope: service.Scope
    project: str | None = Field(description="The project's slug; null for the organization's")
    period: BudgetPeriod = PeriodField
    unit: BudgetUnit = UnitField
    limit: float
    month: str | None = Field(description="The month the figures are of (monthly budgets)")
    used: float | None = Field(description="Spent this month by calls that finished")
    reserved: float | None = Field(description="Held this month for calls under way")
    updated_at: datetime


class Budgets(BaseModel):
    items: list[Budget]


@router.get("")
async def list_budgets(context: ContextDep, access: ViewerAccess) -> Budgets:
    """The budgets the request's project's AI calls count against: the organization's and
    the project's own, each monthly one with this month's figures."""
    async with read_only(context.engine) as conn:
        found = await service.applying(conn, access)
    return Budgets(items=[Budget.model_validate(budget) for budget in found])


@router.put("")
async def put_budget(body: BudgetBody, context: ContextDep, access: AdminAccess) -> Budget:
    """Set a budget (one per scope, period and unit; setting it again changes its limit).
    Recorded in the audit log as ``budget.set``. A call that would exceed it is never made:
    its operation fails with ``budget_exceeded``."""
    view = await transactions.write(
        context.engine,
        lambda conn: service.put(conn, access, body.scope, body.period, body.unit, body.limit),
    )
    return Budget.model_validate(view)


@router.delete("", status_code=204)
async def delete_budget(
    context: ContextDep,
    access: AdminAccess,
    period: Annotated[BudgetPeriod, Query()],
    unit: Annotated[BudgetUnit, Query()],
    scope: ScopeQuery = "project",
) -> Response:
    """Remove a budget and its figures (recorded in the audit log as ``budget.deleted``)."""
    await transactions.write(
        context.engine, lambda conn: service.delete(conn, access, scope, period, unit)
    )
    return Response(status_code=204)
