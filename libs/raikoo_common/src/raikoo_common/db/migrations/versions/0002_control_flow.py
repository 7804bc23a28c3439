"""control flow, sub-workflows and project operations: trigger rules, loop bodies, longer
operation keys, child runs, reusable operation definitions

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from raikoo_common.db.types import UtcDateTime

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "operation_definitions",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=128), nullable=False),
        sa.Column("config", _json(), nullable=False),
        sa.Column("inputs", _json(), nullable=False),
        sa.Column("outputs", _json(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_operation_definitions_org_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_operation_definitions_project_id_projects"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_definitions")),
        sa.UniqueConstraint(
            "org_id",
            "project_id",
            "name",
            name=op.f("uq_operation_definitions_org_id_project_id_name"),
        ),
    )
    with op.batch_alter_table("workflow_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("operations", _json(), nullable=True))
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("waits_open", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("trigger", sa.String(length=32), server_default="api", nullable=False)
        )
        batch_op.add_column(sa.Column("parent_run_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("parent_op_run_id", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column("call_depth", sa.Integer(), server_default="0", nullable=False)
        )
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
    with op.batch_alter_table("runs", schema=None) as batch_op:
        batch_op.drop_column("call_depth")
        batch_op.drop_column("parent_op_run_id")
        batch_op.drop_column("parent_run_id")
        batch_op.drop_column("trigger")
        batch_op.drop_column("waits_open")
    with op.batch_alter_table("workflow_versions", schema=None) as batch_op:
        batch_op.drop_column("operations")
    op.drop_table("operation_definitions")
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
