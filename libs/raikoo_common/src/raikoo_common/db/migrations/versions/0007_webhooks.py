"""webhooks: inbound hooks and the message ids they accepted, outbound subscriptions and
their deliveries, the tailer's cursor; run_events records its writing transaction on
PostgreSQL (the tailer reads only rows no open transaction can precede)

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from raikoo_common.db.types import BigId, TransactionId, UtcDateTime

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _time(name: str, nullable: bool = True) -> sa.Column[Any]:
    return sa.Column(name, UtcDateTime(timezone=True), nullable=nullable)


def _tenant(table: str) -> list[Any]:
    return [
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("project_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organizations.id"], name=op.f(f"fk_{table}_org_id_organizations")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f(f"fk_{table}_project_id_projects")
        ),
    ]


def _secrets() -> list[sa.Column[Any]]:
    return [
        sa.Column("secret", sa.String(length=128), nullable=False),
        sa.Column("previous_secret", sa.String(length=128), nullable=True),
        _time("previous_expires_at"),
        sa.Column("enabled", sa.Boolean(), nullable=False),
    ]


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        # Existing rows get this migration's transaction (a volatile default rewrites them).
        op.execute("ALTER TABLE run_events ADD COLUMN tx xid8 DEFAULT pg_current_xact_id()")
    else:
        op.add_column("run_events", sa.Column("tx", TransactionId, nullable=True))
    op.create_index(op.f("ix_run_events_tx_id"), "run_events", ["tx", "id"], unique=False)
    op.create_table(
        "inbound_hooks",
        sa.Column("id", sa.Uuid(), nullable=False),
        *_tenant("inbound_hooks"),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("mapping", _json(), nullable=True),
        *_secrets(),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        _time("created_at", nullable=False),
        _time("updated_at", nullable=False),
        sa.ForeignKeyConstraint(
            ["workflow_id"], ["workflows.id"], name=op.f("fk_inbound_hooks_workflow_id_workflows")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_hooks")),
        sa.UniqueConstraint(
            "org_id", "project_id", "name", name=op.f("uq_inbound_hooks_org_id_project_id_name")
        ),
    )
    op.create_table(
        "inbound_hook_messages",
        sa.Column("hook_id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("org_id", sa.Uuid(), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        _time("received_at", nullable=False),
        sa.ForeignKeyConstraint(
            ["hook_id"],
            ["inbound_hooks.id"],
            name=op.f("fk_inbound_hook_messages_hook_id_inbound_hooks"),
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organizations.id"],
            name=op.f("fk_inbound_hook_messages_org_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("hook_id", "message_id", name=op.f("pk_inbound_hook_messages")),
    )
    op.create_index(
        op.f("ix_inbound_hook_messages_received_at"),
        "inbound_hook_messages",
        ["received_at"],
        unique=False,
    )
    op.create_table(
        "webhook_subscriptions",
        sa.Column("id", sa.Uuid(), nullable=False),
        *_tenant("webhook_subscriptions"),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("event_types", _json(), nullable=False),
        sa.Column("workflows", _json(), nullable=False),
        *_secrets(),
        sa.Column("disabled_reason", sa.Text(), nullable=True),
        _time("failing_since"),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        _time("created_at", nullable=False),
        _time("updated_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_subscriptions")),
        sa.UniqueConstraint(
            "org_id",
            "project_id",
            "name",
            name=op.f("uq_webhook_subscriptions_org_id_project_id_name"),
        ),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Uuid(), nullable=False),
        *_tenant("webhook_deliveries"),
        sa.Column("subscription_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", BigId, nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("payload", _json(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _time("next_attempt_at"),
        _time("last_attempt_at"),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_latency_ms", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        _time("created_at", nullable=False),
        _time("delivered_at"),
        sa.ForeignKeyConstraint(
            ["subscription_id"],
            ["webhook_subscriptions.id"],
            name=op.f("fk_webhook_deliveries_subscription_id_webhook_subscriptions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
        sa.UniqueConstraint(
            "subscription_id",
            "event_id",
            name=op.f("uq_webhook_deliveries_subscription_id_event_id"),
        ),
    )
    op.create_index(
        op.f("ix_webhook_deliveries_state_next_attempt_at"),
        "webhook_deliveries",
        ["state", "next_attempt_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_webhook_deliveries_subscription_id_created_at"),
        "webhook_deliveries",
        ["subscription_id", "created_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_webhook_deliveries_created_at"), "webhook_deliveries", ["created_at"], unique=False
    )
    op.create_table(
        "webhook_cursor",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("tx", sa.BigInteger(), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_webhook_cursor")),
    )


def downgrade() -> None:
    op.drop_table("webhook_cursor")
    op.drop_index(op.f("ix_webhook_deliveries_created_at"), table_name="webhook_deliveries")
    op.drop_index(
        op.f("ix_webhook_deliveries_subscription_id_created_at"), table_name="webhook_deliveries"
    )
    op.drop_index(
        op.f("ix_webhook_deliveries_state_next_attempt_at"), table_name="webhook_deliveries"
    )
    op.drop_table("webhook_deliveries")
    op.drop_table("webhook_subscriptions")
    op.drop_index(op.f("ix_inbound_hook_messages_received_at"), table_name="inbound_hook_messages")
    op.drop_table("inbound_hook_messages")
    op.drop_table("inbound_hooks")
    op.drop_index(op.f("ix_run_events_tx_id"), table_name="run_events")
    with op.batch_alter_table("run_events") as batch:
        batch.drop_column("tx")
