"""retry from failure and cron schedules: a run request's ``retry_of``, an operation run's
``reused_from``, the schedules table

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from raikoo_common.db.types import UtcDateTime

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _at(name: str, *, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, UtcDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("run_requests") as batch:
        batch.add_column(sa.Column("retry_of", sa.Uuid(), nullable=True))
        batch.create_index(batch.f("ix_run_requests_retry_of"), ["retry_of"], unique=False)
    with op.batch_alter_table("operation_runs") as batch:
        batch.add_column(sa.Column("reused_from", sa.Uuid(), nullable=True))
    op.create_table(
        "schedules",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("cron", sa.String(length=200), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("inputs", _json(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("missed", sa.String(length=16), nullable=False),
        sa.Column("max_catch_up", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=True),
        _at("next_fire_at"),
        _at("last_fired_at"),
        sa.Column("last_run_id", sa.Uuid(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        _at("created_at", nullable=False),
        _at("updated_at", nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_schedules_org_id_organizations")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_schedules_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["workflow_id"], ["workflows.id"], name=op.f("fk_schedules_workflow_id_workflows")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedules")),
    )
    op.create_index(
        op.f("ix_schedules_org_id_project_id_created_at"),
        "schedules",
        ["org_id", "project_id", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_schedules_enabled_next_fire_at"),
        "schedules",
        ["enabled", "next_fire_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_schedules_enabled_next_fire_at"), table_name="schedules")
    op.drop_index(op.f("ix_schedules_org_id_project_id_created_at"), table_name="schedules")
    op.drop_table("schedules")
    with op.batch_alter_table("operation_runs") as batch:
        batch.drop_column("reused_from")
    with op.batch_alter_table("run_requests") as batch:
        batch.drop_index(batch.f("ix_run_requests_retry_of"))
        batch.drop_column("retry_of")
