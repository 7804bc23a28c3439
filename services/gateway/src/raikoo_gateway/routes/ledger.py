"""The budget ledger for ai-runners in separate processes (not part of the public API):
they reserve each model call's estimate here before the call and settle it after, and
ask whether a call fits its provider connection's shared per-minute limits, on the
figures in the shared database that every replica draws on (``raikoo_common.db.budgets``).
Only Raikoo's own services call it, with RAIKOO_BUDGET_LEDGER_TOKEN."""

import uuid
from typing import Annotated

from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from raikoo_common.budgets import BudgetExceeded, Charge, ChargeScope, RateLimits, Reservation
from raikoo_common.db.budgets import SqlBudgetLedger
from raikoo_gateway.auth.policy import ServiceCaller
from raikoo_gateway.context import ContextDep
from raikoo_gateway.problems import Problem
from raikoo_gateway.routing import Routes

router = Routes(
    prefix="/internal/v1",
    tags=["internal"],
    include_in_schema=False,
    dependencies=[ServiceCaller],
    route_class=APIRoute,
)


class ChargeBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    tokens: int = Field(ge=0)
    cost: float | None = Field(default=None, ge=0)


class ReserveBody(ChargeBody):
    org_id: uuid.UUID
    project_id: uuid.UUID
    run_id: uuid.UUID


class AdmitBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    connection: str = Field(min_length=1, max_length=64)
    requests_per_minute: int | None = Field(default=None, ge=1)
    tokens_per_minute: int | None = Field(default=None, ge=1)
    tokens: int = Field(ge=0)


class Admitted(BaseModel):
    wait_seconds: float = Field(description="0: go now; else ask again after this long")


class Held(BaseModel):
    id: uuid.UUID | None = Field(description="None: no budget applies, nothing was held")


def _ledger(request: Request, context: ContextDep) -> SqlBudgetLedger:
    ledger: SqlBudgetLedger | None = getattr(request.app.state, "budget_ledger", None)
    if ledger is None:
        ledger = request.app.state.budget_ledger = SqlBudgetLedger(context.engine)
    return ledger


Ledger = Annotated[SqlBudgetLedger, Depends(_ledger)]


@router.post("/budget-reservations", status_code=201)
async def reserve(body: ReserveBody, ledger: Ledger) -> Held:
    scope = ChargeScope(body.org_id, body.project_id, body.run_id)
    try:
        held = await ledger.reserve(scope, Charge(body.tokens, body.cost))
    except BudgetExceeded as exc:
        raise Problem(
            409,
            "Budget exceeded",
            str(exc),
            "budget-exceeded",
            scope=exc.scope,
            period=exc.period,
            unit=exc.unit,
            limit=exc.limit,
        ) from None
    return Held(id=held.id)


@router.post("/budget-reservations/{reservation_id}/settle", status_code=204)
async def settle(reservation_id: uuid.UUID, body: ChargeBody, ledger: Ledger) -> Response:
    await ledger.settle(
        Reservation(reservation_id, Charge(0, None)), Charge(body.tokens, body.cost)
    )
    return Response(status_code=204)


@router.post("/provider-admissions")
async def admit(body: AdmitBody, ledger: Ledger) -> Admitted:
    limits = RateLimits(body.requests_per_minute, body.tokens_per_minute)
    return Admitted(wait_seconds=await ledger.admit(body.connection, limits, body.tokens))


class SlotBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    connection: str = Field(min_length=1, max_length=64)
    limit: int = Field(ge=1)
    hold_seconds: float = Field(gt=0, le=86_400)


class Slot(BaseModel):
    id: uuid.UUID | None = Field(description="None: every slot is taken; ask again later")


@router.post("/provider-slots")
async def take_slot(body: SlotBody, ledger: Ledger) -> Slot:
    return Slot(id=await ledger.take_slot(body.connection, body.limit, body.hold_seconds))


@router.post("/provider-slots/{slot_id}/release", status_code=204)
async def give_slot(slot_id: uuid.UUID, ledger: Ledger) -> Response:
    await ledger.give_slot(slot_id)
    return Response(status_code=204)
