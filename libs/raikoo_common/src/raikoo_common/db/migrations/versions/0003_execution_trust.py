"""executed once, cancel means stop: outbox rows carry the process that owns them, owners
hold leases; cancels that arrive before their run are kept

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from raikoo_common.db.types import UtcDateTime

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_owners",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("producer", sa.String(length=32), nullable=False),
        sa.Column("started_at", UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_owners")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_owner"), ["owner"], unique=False)
    op.create_table(
        "early_cancels",
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_early_cancels")),
    )


def downgrade() -> None:
    op.drop_table("early_cancels")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_owner"))
        batch_op.drop_column("owner")
    op.drop_table("outbox_owners")
