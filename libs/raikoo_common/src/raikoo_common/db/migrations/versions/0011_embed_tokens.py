"""embeddable run widget: embed tokens (one workflow, allowed origins) and the runs each
started

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from raikoo_common.db.types import UtcDateTime

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _at(name: str, *, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, UtcDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "embed_tokens",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("origins", _json(), nullable=False),
        sa.Column("prefix", sa.String(length=32), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        _at("created_at", nullable=False),
        _at("expires_at"),
        _at("revoked_at"),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_embed_tokens_org_id_organizations")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_embed_tokens_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["workflow_id"], ["workflows.id"], name=op.f("fk_embed_tokens_workflow_id_workflows")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_embed_tokens")),
        sa.UniqueConstraint("prefix", name=op.f("uq_embed_tokens_prefix")),
    )
    op.create_index(
        op.f("ix_embed_tokens_org_id_project_id_created_at"),
        "embed_tokens",
        ["org_id", "project_id", "created_at"],
        unique=False,
    )
    op.create_table(
        "embed_runs",
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("token_id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        _at("created_at", nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["run_requests.id"], name=op.f("fk_embed_runs_run_id_run_requests")
        ),
        sa.ForeignKeyConstraint(
            ["token_id"], ["embed_tokens.id"], name=op.f("fk_embed_runs_token_id_embed_tokens")
        ),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f("fk_embed_runs_org_id_organizations")
        ),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_embed_runs")),
    )
    op.create_index(op.f("ix_embed_runs_token_id"), "embed_runs", ["token_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_embed_runs_token_id"), table_name="embed_runs")
    op.drop_table("embed_runs")
    op.drop_index(op.f("ix_embed_tokens_org_id_project_id_created_at"), table_name="embed_tokens")
    op.drop_table("embed_tokens")
