"""Budgets of an organization or of one of its projects: which scope a request may set,
the budgets that apply to a project with what they have spent this month, and writes
recorded in the audit log. The ai-runners enforce them (``raikoo_common.db.budgets``)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.budgets import BudgetPeriod, BudgetUnit, month_window
from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_gateway.auth.principal import Access
from raikoo_gateway.problems import Problem, not_found
from raikoo_gateway.service import audit

Scope = Literal["organization", "project"]
_b, _u, _p = t.budgets.c, t.budget_usage.c, t.projects.c


def scope_key(access: Access, scope: Scope) -> str:
    """A key bound to a project never sets the organization's budgets: they limit every
    project, which is what binding a key keeps it away from."""
    if scope == "project":
        return str(access.project_id)
    if access.principal.project_id is not None:
        raise Problem(
            403,
            "Project-bound key",
            f"{access.principal.name} is bound to one project: it may set that project's "
            "budgets (scope=project), not the organization's, which limit every project",
            "forbidden",
        )
    return "org"


async def applying(conn: AsyncConnection, access: Access) -> list[dict[str, Any]]:
    """The organization's budgets and the request's project's, with this month's figures."""
    window = month_window(utcnow())
    query = (
        sa.select(t.budgets, _p.slug, _u.used, _u.reserved)
        .outerjoin(t.projects, _p.id == _b.project_id)
        .outerjoin(t.budget_usage, sa.and_(_u.budget_id == _b.id, _u.window == window))
        .where(
            _b.org_id == access.org_id,
            sa.or_(_b.project_id.is_(None), _b.project_id == access.project_id),
        )
        .order_by(_b.project_id.is_not(None), _b.period, _b.unit)
    )
    return [_view(row, window) for row in (await conn.execute(query)).all()]


async def put(
    conn: AsyncConnection,
    access: Access,
    scope: Scope,
    period: BudgetPeriod,
    unit: BudgetUnit,
    limit: float,
) -> dict[str, Any]:
    key = scope_key(access, scope)
    now = utcnow()
    found = (await conn.execute(_one(access, key, period, unit))).first()
    if found is None:
        await conn.execute(
            sa.insert(t.budgets).values(
                id=uuid.uuid4(),
                org_id=access.org_id,
                project_id=None if scope == "organization" else access.project_id,
                scope_key=key,
                period=period,
                unit=unit,
                limit=limit,
                created_at=now,
                updated_at=now,
            )
        )
    else:
        await conn.execute(
            sa.update(t.budgets).where(_b.id == found.id).values(limit=limit, updated_at=now)
        )
    details = {
        "scope": scope,
        "period": period,
        "unit": unit,
        "limit": limit,
        "previous": None if found is None else found.limit,
    }
    await audit.record(conn, access, "budget.set", f"{scope}:{period}:{unit}", details)
    view = next(
        (
            budget
            for budget in await applying(conn, access)
            if (budget["scope"], budget["period"], budget["unit"]) == (scope, period, unit)
        ),
        None,
    )
    assert view is not None
    return view


async def delete(
    conn: AsyncConnection, access: Access, scope: Scope, period: BudgetPeriod, unit: BudgetUnit
) -> None:
    key = scope_key(access, scope)
    found = (await conn.execute(_one(access, key, period, unit))).first()
    if found is None:
        raise not_found("budget", f"{scope} {period} {unit}")
    await conn.execute(sa.delete(t.budget_usage).where(_u.budget_id == found.id))
    await conn.execute(sa.delete(t.budgets).where(_b.id == found.id))
    details = {"scope": scope, "period": period, "unit": unit, "limit": found.limit}
    await audit.record(conn, access, "budget.deleted", f"{scope}:{period}:{unit}", details)


def _one(access: Access, key: str, period: str, unit: str) -> sa.Select[Any]:
    return sa.select(_b.id, _b.limit).where(
        _b.org_id == access.org_id, _b.scope_key == key, _b.period == period, _b.unit == unit
    )


def _view(row: sa.Row[Any], window: str) -> dict[str, Any]:
    monthly = row.period == "month"
    return {
        "scope": "organization" if row.project_id is None else "project",
        "project": row.slug,
        "period": row.period,
        "unit": row.unit,
        "limit": row.limit,
        "month": window if monthly else None,
        "used": (row.used or 0.0) if monthly else None,
        "reserved": (row.reserved or 0.0) if monthly else None,
        "updated_at": row.updated_at,
    }
