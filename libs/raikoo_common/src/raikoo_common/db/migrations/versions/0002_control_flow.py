"""control flow: trigger rules, loop bodies, longer operation keys

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("operation_runs", schema=None) as batch_op:
        batch_op.alter_column(
            "op_key", existing_type=sa.String(length=64), type_=sa.String(length=160)
        )
        batch_op.add_column(
            sa.Column("needs_skipped", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("parent_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("item_index", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("loop", _json(), nullable=True))
        batch_op.add_column(sa.Column("items", _json(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_operation_runs_parent_id_item_index"),
            ["parent_id", "item_index"],
            unique=False,
        )
    with op.batch_alter_table("run_events", schema=None) as batch_op:
        batch_op.alter_column(
            "op_key", existing_type=sa.String(length=64), type_=sa.String(length=160)
        )


def downgrade() -> None:
    with op.batch_alter_table("run_events", schema=None) as batch_op:
        batch_op.alter_column(
            "op_key", existing_type=sa.String(length=160), type_=sa.String(length=64)
        )
    with op.batch_alter_table("operation_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_operation_runs_parent_id_item_index"))
        batch_op.drop_column("items")
        batch_op.drop_column("loop")
        batch_op.drop_column("item_index")
        batch_op.drop_column("parent_id")
        batch_op.drop_column("needs_skipped")
        batch_op.alter_column(
            "op_key", existing_type=sa.String(length=160), type_=sa.String(length=64)
        )
