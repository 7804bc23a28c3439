"""usage counted per execution: an operation run's ``usage_counted`` (each execution's
running total counted so far) replaces ``usage_attempt`` (the last attempt counted), so
that the calls of an execution whose runner died count as well as those of the execution
that ran the attempt again

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("operation_runs") as batch:
        batch.add_column(sa.Column("usage_counted", _json(), nullable=True))
    # What was counted stays counted: as the total of the last attempt counted.
    build = "jsonb_build_object" if op.get_bind().dialect.name == "postgresql" else "json_object"
    value = "usage" if op.get_bind().dialect.name == "postgresql" else "json(usage)"
    op.execute(
        f"UPDATE operation_runs SET usage_counted = {build}('attempt:' || usage_attempt, {value}) "  # noqa: S608 (constants)
        "WHERE usage_attempt > 0 AND usage IS NOT NULL"
    )
    with op.batch_alter_table("operation_runs") as batch:
        batch.drop_column("usage_attempt")


def downgrade() -> None:
    with op.batch_alter_table("operation_runs") as batch:
        batch.add_column(
            sa.Column("usage_attempt", sa.Integer(), server_default="0", nullable=False)
        )
    op.execute("UPDATE operation_runs SET usage_attempt = attempt WHERE usage IS NOT NULL")
    with op.batch_alter_table("operation_runs") as batch:
        batch.drop_column("usage_counted")
