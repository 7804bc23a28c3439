"""AI usage and budgets: what AI operations spent, on operation runs and runs; budgets per
organization or project, their figures per window, and the estimates held for calls;
requests and tokens per provider connection and minute, for limits shared by replicas

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from raikoo_common.db.types import UtcDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.add_column("runs", sa.Column("usage", _json(), nullable=True))
    op.add_column("operation_runs", sa.Column("usage", _json(), nullable=True))
    op.add_column(
        "operation_runs",
        sa.Column("usage_attempt", sa.Integer(), server_default="0", nullable=False),
    )
    op.create_table(
        "budgets",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=True),
        sa.Column("scope_key", sa.String(length=40), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("limit", sa.Float(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_budgets_org_id_organizations")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_budgets_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budgets")),
        sa.UniqueConstraint(
            "org_id",
            "scope_key",
            "period",
            "unit",
            name=op.f("uq_budgets_org_id_scope_key_period_unit"),
        ),
    )
    op.create_table(
        "budget_usage",
        sa.Column("budget_id", sa.Uuid(), nullable=False),
        sa.Column("window", sa.String(length=40), nullable=False),
        sa.Column("used", sa.Float(), nullable=False),
        sa.Column("reserved", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["budget_id"],
            ["budgets.id"],
            name=op.f("fk_budget_usage_budget_id_budgets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("budget_id", "window", name=op.f("pk_budget_usage")),
    )
    op.create_table(
        "budget_reservations",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("holds", _json(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_reservations")),
    )
    op.create_index(
        op.f("ix_budget_reservations_expires_at"),
        "budget_reservations",
        ["expires_at"],
        unique=False,
    )

    op.create_table(
        "provider_windows",
        sa.Column("connection", sa.String(length=64), nullable=False),
        sa.Column("window", sa.BigInteger(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("tokens", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("connection", "window", name=op.f("pk_provider_windows")),
    )
    op.create_table(
        "provider_slots",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("connection", sa.String(length=64), nullable=False),
        sa.Column("expires_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_slots")),
    )
    op.create_index(
        op.f("ix_provider_slots_connection_expires_at"),
        "provider_slots",
        ["connection", "expires_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_provider_slots_connection_expires_at"), table_name="provider_slots")
    op.drop_table("provider_slots")
    op.drop_table("provider_windows")
    op.drop_index(op.f("ix_budget_reservations_expires_at"), table_name="budget_reservations")
    op.drop_table("budget_reservations")
    op.drop_table("budget_usage")
    op.drop_table("budgets")
    with op.batch_alter_table("operation_runs") as batch:
        batch.drop_column("usage_attempt")
        batch.drop_column("usage")
    with op.batch_alter_table("runs") as batch:
        batch.drop_column("usage")
