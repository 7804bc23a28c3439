"""Tables. Every row carries org_id (and project_id where it belongs to a project).

Ownership (only writer): gateway — organizations … run_requests; scheduler — runs,
operation_runs, run_events; each writer its own outbox rows (``producer`` column).
"""

from __future__ import annotations

import sqlalchemy as sa

from raikoo_common.db.types import BigId, Json, TransactionId, UtcDateTime

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


OP_KEY_LENGTH = 160
"""Room for a loop body's instance key: ``<loop key>[<index>].<body key>``."""


def _org() -> sa.Column[object]:
    return sa.Column("org_id", sa.Uuid, sa.ForeignKey("organizations.id"), nullable=False)


def _project() -> sa.Column[object]:
    return sa.Column("project_id", sa.Uuid, sa.ForeignKey("projects.id"), nullable=False)


def _created() -> sa.Column[object]:
    return sa.Column("created_at", UtcDateTime, nullable=False)


organizations = sa.Table(
    "organizations",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("slug", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    _created(),
)

projects = sa.Table(
    "projects",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _org(),
    sa.Column("slug", sa.String(64), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    _created(),
    sa.UniqueConstraint("org_id", "slug"),
)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("email", sa.String(320)),
    sa.Column("name", sa.String(200), nullable=False),
    # Who signed in through OIDC: the issuer and its subject identify the person.
    sa.Column("issuer", sa.String(512)),
    sa.Column("subject", sa.String(255)),
    _created(),
    sa.Column("last_seen_at", UtcDateTime),
    sa.UniqueConstraint("issuer", "subject"),
    sa.Index(None, "email"),
)

memberships = sa.Table(
    "memberships",
    metadata,
    sa.Column("org_id", sa.Uuid, sa.ForeignKey("organizations.id"), primary_key=True),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("role", sa.String(16), nullable=False),
    _created(),
)

invitations = sa.Table(
    "invitations",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _org(),
    sa.Column("email", sa.String(320), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("invited_by", sa.String(200), nullable=False),
    _created(),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("accepted_at", UtcDateTime),
    sa.Column("accepted_by", sa.Uuid),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _org(),
    # Bound to one project, or (NULL) to every project of the organization.
    sa.Column("project_id", sa.Uuid, sa.ForeignKey("projects.id")),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("prefix", sa.String(32), nullable=False, unique=True),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    _created(),
    sa.Column("expires_at", UtcDateTime),
    sa.Column("revoked_at", UtcDateTime),
    sa.Column("last_used_at", UtcDateTime),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("user_id", sa.Uuid, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("csrf_hash", sa.String(64), nullable=False),
    _created(),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Column("revoked_at", UtcDateTime),
)

sign_ins = sa.Table(
    "sign_ins",
    metadata,
    # An OIDC sign-in under way: what the callback checks (state) and proves (PKCE, nonce).
    sa.Column("state", sa.String(64), primary_key=True),
    sa.Column("verifier", sa.String(128), nullable=False),
    sa.Column("nonce", sa.String(64), nullable=False),
    sa.Column("next", sa.String(2048), nullable=False),
    _created(),
)

audit_events = sa.Table(
    "audit_events",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    _org(),
    sa.Column("project_id", sa.Uuid),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    # user:<id>, key:<id> or system: who did it, besides the name shown.
    sa.Column("actor_id", sa.String(64), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("target", sa.String(512)),
    sa.Column("details", Json),
    sa.Index(None, "org_id", "at"),
)

rate_windows = sa.Table(
    "rate_windows",
    metadata,
    # Requests counted per scope (key:<id>, org:<id>) and fixed window, shared by replicas.
    sa.Column("scope", sa.String(64), primary_key=True),
    sa.Column("window", sa.BigInteger, primary_key=True),
    sa.Column("count", sa.Integer, nullable=False),
)

budgets = sa.Table(
    "budgets",
    metadata,
    # What AI calls may spend (the gateway's): per organization (project_id NULL) or
    # project, per run or calendar month, in tokens or US dollars. ``scope_key`` is "org"
    # or the project's id, so that one budget per scope, period and unit is unique.
    sa.Column("id", sa.Uuid, primary_key=True),
    _org(),
    sa.Column("project_id", sa.Uuid, sa.ForeignKey("projects.id")),
    sa.Column("scope_key", sa.String(40), nullable=False),
    sa.Column("period", sa.String(8), nullable=False),
    sa.Column("unit", sa.String(8), nullable=False),
    sa.Column("limit", sa.Float, nullable=False),
    _created(),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("org_id", "scope_key", "period", "unit"),
)

budget_usage = sa.Table(
    "budget_usage",
    metadata,
    # A budget's figures in one window (a month "2026-12", or a run's id): spent, and held
    # for calls under way. Changed only by a conditional UPDATE (raikoo_common.db.budgets).
    sa.Column(
        "budget_id", sa.Uuid, sa.ForeignKey("budgets.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("window", sa.String(40), primary_key=True),
    sa.Column("used", sa.Float, nullable=False),
    sa.Column("reserved", sa.Float, nullable=False),
)

budget_reservations = sa.Table(
    "budget_reservations",
    metadata,
    # One call's estimate held against budgets until it is settled; an expired one (its
    # runner died) is charged at its estimate by the next reservation's sweep.
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("org_id", sa.Uuid, nullable=False),
    # [[budget_id, window, amount, unit], ...]
    sa.Column("holds", Json, nullable=False),
    _created(),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Index(None, "expires_at"),
)

provider_windows = sa.Table(
    "provider_windows",
    metadata,
    # Requests and tokens sent over one provider connection (its fingerprint) in one
    # window, counted by every ai-runner replica against the connection's shared limits.
    sa.Column("connection", sa.String(64), primary_key=True),
    sa.Column("window", sa.BigInteger, primary_key=True),
    sa.Column("requests", sa.Integer, nullable=False),
    sa.Column("tokens", sa.BigInteger, nullable=False),
)

provider_slots = sa.Table(
    "provider_slots",
    metadata,
    # Calls in flight over one provider connection, all replicas together (its shared
    # concurrency limit); a slot whose runner died frees itself when it expires.
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("connection", sa.String(64), nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=False),
    sa.Index(None, "connection", "expires_at"),
)

workflows = sa.Table(
    "workflows",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _org(),
    _project(),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("latest_version", sa.Integer, nullable=False),
    _created(),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("org_id", "project_id", "name"),
)

workflow_versions = sa.Table(
    "workflow_versions",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _org(),
    _project(),
    sa.Column("workflow_id", sa.Uuid, sa.ForeignKey("workflows.id"), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("definition", Json, nullable=False),
    sa.Column("digest", sa.String(64), nullable=False),
    # The project operations (`uses: op/<name>`) as they were when this version was
    # stored: {"<name>": {"version", "kind", "config", "inputs", "outputs"}}.
    sa.Column("operations", Json),
    # The provider connections, personas and tools its AI operations name, as they were
    # when this version was stored: {"providers"|"personas"|"tools": {"<name>": {"version",
    # "spec"}}} (raikoo_common.workflow.ai_objects).
    sa.Column("ai_objects", Json),
    _created(),
    sa.UniqueConstraint("workflow_id", "version"),
)

operation_definitions = sa.Table(
    "operation_definitions",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _org(),
    _project(),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(128), nullable=False),
    sa.Column("config", Json, nullable=False),
    sa.Column("inputs", Json, nullable=False),
    sa.Column("outputs", Json, nullable=False),
    sa.Column("description", sa.Text),
    _created(),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("org_id", "project_id", "name"),
)

ai_objects = sa.Table(
    "ai_objects",
    metadata,
    # Provider connections (organization-wide, or a project's own that overrides one of
    # the same name), personas and tools (a project's): numbered on every change.
    sa.Column("id", sa.Uuid, primary_key=True),
    _org(),
    sa.Column("project_id", sa.Uuid, sa.ForeignKey("projects.id")),  # null: organization-wide
    # The project's id as text, or "organization": one unique key for both scopes (a
    # null project_id would not be unique).
    sa.Column("scope", sa.String(40), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # provider | persona | tool
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("spec", Json, nullable=False),
    sa.Column("description", sa.Text),
    _created(),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("org_id", "kind", "scope", "name"),
)

ai_object_versions = sa.Table(
    "ai_object_versions",
    metadata,
    # Every version of each AI object, so a workflow can name an earlier one.
    sa.Column(
        "object_id", sa.Uuid, sa.ForeignKey("ai_objects.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("version", sa.Integer, primary_key=True),
    _org(),
    sa.Column("project_id", sa.Uuid, sa.ForeignKey("projects.id")),  # null: organization-wide
    sa.Column("spec", Json, nullable=False),
    sa.Column("description", sa.Text),
    _created(),
)

run_requests = sa.Table(
    "run_requests",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _org(),
    _project(),
    sa.Column(
        "workflow_version_id", sa.Uuid, sa.ForeignKey("workflow_versions.id"), nullable=False
    ),
    sa.Column("inputs", Json, nullable=False),
    sa.Column("trigger", sa.String(32), nullable=False),
    sa.Column("idempotency_key", sa.String(255)),
    sa.Column("request_digest", sa.String(64), nullable=False),
    _created(),
    # The failed run this one retries: its succeeded operations' results are reused.
    sa.Column("retry_of", sa.Uuid),
    sa.UniqueConstraint("org_id", "project_id", "idempotency_key"),
    sa.Index(None, "org_id", "project_id", "created_at"),  # a project's runs, newest first
    sa.Index(None, "retry_of"),
)

runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _org(),
    _project(),
    sa.Column(
        "workflow_version_id", sa.Uuid, sa.ForeignKey("workflow_versions.id"), nullable=False
    ),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("inputs", Json, nullable=False),
    sa.Column("outputs", Json),
    sa.Column("error", Json),
    sa.Column("max_parallel", sa.Integer, nullable=False),
    sa.Column("fail_fast", sa.Boolean, nullable=False),
    sa.Column("active_ops", sa.Integer, nullable=False),
    sa.Column("ops_total", sa.Integer, nullable=False),
    sa.Column("ops_done", sa.Integer, nullable=False),
    sa.Column("ops_failed", sa.Integer, nullable=False),
    sa.Column("event_seq", sa.Integer, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("waits_open", sa.Integer, nullable=False, server_default="0"),
    sa.Column("trigger", sa.String(32), nullable=False, server_default="api"),
    sa.Column("parent_run_id", sa.Uuid),  # set for a child run of workflow.call
    sa.Column("parent_op_run_id", sa.Uuid),
    sa.Column("call_depth", sa.Integer, nullable=False, server_default="0"),
    # AI operations return their mocks instead of calling providers and tools.
    sa.Column("dry_run", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("usage", Json),  # what its AI operations spent (OperationUsage)
    _created(),
    sa.Column("started_at", UtcDateTime),
    sa.Column("finished_at", UtcDateTime),
    sa.Column("deadline_at", UtcDateTime),
    sa.Index(None, "state", "deadline_at"),
)

operation_runs = sa.Table(
    "operation_runs",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    _org(),
    _project(),
    sa.Column("run_id", sa.Uuid, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("op_key", sa.String(OP_KEY_LENGTH), nullable=False),
    sa.Column("kind", sa.String(128), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("needs_pending", sa.Integer, nullable=False),
    sa.Column("needs_failed", sa.Integer, nullable=False),
    sa.Column("needs_skipped", sa.Integer, nullable=False, server_default="0"),
    sa.Column("parent_id", sa.Uuid),  # the loop operation run this one is a body run of
    sa.Column("item_index", sa.Integer),
    sa.Column("loop", Json),  # a loop's progress counters: small, rewritten as items finish
    sa.Column("items", Json),  # a loop's item list, written once when it starts
    sa.Column("output", Json),
    sa.Column("error", Json),
    sa.Column("usage", Json),  # what an AI operation spent, all attempts (OperationUsage)
    # Each execution's running total counted in ``usage`` so far, by execution.
    sa.Column("usage_counted", Json),
    _created(),
    sa.Column("ready_at", UtcDateTime),
    sa.Column("started_at", UtcDateTime),
    sa.Column("finished_at", UtcDateTime),
    sa.Column("lease_expires_at", UtcDateTime),
    sa.Column("next_attempt_at", UtcDateTime),
    # A retry's operation run that took the result of this earlier one instead of running.
    sa.Column("reused_from", sa.Uuid),
    sa.UniqueConstraint("run_id", "op_key"),
    sa.Index(None, "run_id", "state", "needs_pending", "seq"),
    sa.Index(None, "state", "lease_expires_at"),
    sa.Index(None, "state", "next_attempt_at"),
    sa.Index(None, "parent_id", "item_index"),
)

run_events = sa.Table(
    "run_events",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    _org(),
    sa.Column("run_id", sa.Uuid, sa.ForeignKey("runs.id"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("type", sa.String(64), nullable=False),
    sa.Column("op_key", sa.String(OP_KEY_LENGTH)),
    sa.Column("state", sa.String(16), nullable=False),
    sa.Column("attempt", sa.Integer),
    sa.Column("data", Json, nullable=False),
    _created(),
    # PostgreSQL: the writing transaction (a column default), so the outbound webhook
    # tailer reads only rows no open transaction can still precede (webhooks/tail.py).
    sa.Column("tx", TransactionId),
    sa.UniqueConstraint("run_id", "seq"),
    sa.Index(None, "tx", "id"),
)

schedules = sa.Table(
    "schedules",
    metadata,
    # Cron schedules of a workflow (the gateway's). ``next_fire_at`` is the next tick not
    # fired yet: a ticker claims a tick by advancing it with a conditional UPDATE, in the
    # transaction that writes the tick's run request, so each tick fires exactly once.
    sa.Column("id", sa.Uuid, primary_key=True),
    _org(),
    _project(),
    sa.Column("workflow_id", sa.Uuid, sa.ForeignKey("workflows.id"), nullable=False),
    sa.Column("version", sa.Integer),  # NULL: the latest version when a tick fires
    sa.Column("cron", sa.String(200), nullable=False),
    sa.Column("timezone", sa.String(64), nullable=False),
    sa.Column("inputs", Json, nullable=False),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("missed", sa.String(16), nullable=False),  # skip | catch_up
    sa.Column("max_catch_up", sa.Integer, nullable=False),
    sa.Column("description", sa.String(500)),
    sa.Column("next_fire_at", UtcDateTime),  # NULL while paused
    sa.Column("last_fired_at", UtcDateTime),
    sa.Column("last_run_id", sa.Uuid),
    sa.Column("last_error", sa.Text),
    sa.Column("created_by", sa.String(200), nullable=False),
    _created(),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Index(None, "org_id", "project_id", "created_at"),
    sa.Index(None, "enabled", "next_fire_at"),
)

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("producer", sa.String(32), nullable=False),
    # The outbox_owners row of the process that wrote (or adopted) it; NULL: written
    # before owners existed, adopted by any process of its producer.
    sa.Column("owner", sa.Uuid, nullable=True),
    sa.Column("channel", sa.String(128), nullable=False),
    sa.Column("body", sa.LargeBinary, nullable=False),
    _created(),
    sa.Index(None, "producer", "created_at"),
    sa.Index(None, "owner"),
)

early_cancels = sa.Table(
    "early_cancels",
    metadata,
    # A cancel that reached the scheduler before the run it names existed (the scheduler's;
    # taken, and deleted, when the run is created).
    sa.Column("run_id", sa.Uuid, primary_key=True),
    sa.Column("org_id", sa.Uuid, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    _created(),
)

outbox_owners = sa.Table(
    "outbox_owners",
    metadata,
    sa.Column("id", sa.Uuid, primary_key=True),
    sa.Column("producer", sa.String(32), nullable=False),
    sa.Column("started_at", UtcDateTime, nullable=False),
    # Renewed while the process runs; after it, the process's rows may be adopted.
    sa.Column("expires_at", UtcDateTime, nullable=False),
)

chats = sa.Table(
    "chats",
    metadata,
    # A conversation of one caller (a person or a key) in a project, with a persona (through
    # a generated chat workflow) or with a chat workflow: each message is answered by a run.
    sa.Column("id", sa.Uuid, primary_key=True),
    _org(),
    _project(),
    sa.Column("owner_id", sa.String(80), nullable=False),  # user:<uuid> or key:<uuid>
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column(
        "workflow_version_id", sa.Uuid, sa.ForeignKey("workflow_versions.id"), nullable=False
    ),
    sa.Column("persona", Json),  # what the chat was opened with, when not a workflow
    sa.Column("messages", sa.Integer, nullable=False, server_default="0"),
    _created(),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Index(None, "org_id", "project_id", "owner_id", "updated_at"),
)

chat_messages = sa.Table(
    "chat_messages",
    metadata,
    # A user's message and the run that answers it (its output ``answer`` is the reply).
    sa.Column("id", sa.Uuid, primary_key=True),
    _org(),
    sa.Column("chat_id", sa.Uuid, sa.ForeignKey("chats.id", ondelete="CASCADE"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("run_id", sa.Uuid, sa.ForeignKey("run_requests.id"), nullable=False),
    _created(),
    sa.UniqueConstraint("chat_id", "seq"),
)

inbound_hooks = sa.Table(
    "inbound_hooks",
    metadata,
    # A webhook that starts runs of one workflow, verified with the Standard Webhooks scheme.
    sa.Column("id", sa.Uuid, primary_key=True),
    _org(),
    _project(),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("workflow_id", sa.Uuid, sa.ForeignKey("workflows.id"), nullable=False),
    sa.Column("version", sa.Integer),  # NULL: the workflow's latest version at each call
    sa.Column("mapping", Json),  # input name -> template over body, headers, query
    sa.Column("secret", sa.String(128), nullable=False),
    # The secret before the last rotation, still accepted until previous_expires_at.
    sa.Column("previous_secret", sa.String(128)),
    sa.Column("previous_expires_at", UtcDateTime),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    _created(),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("org_id", "project_id", "name"),
)

inbound_hook_messages = sa.Table(
    "inbound_hook_messages",
    metadata,
    # Message ids a hook accepted (replay protection), with the run each started.
    sa.Column("hook_id", sa.Uuid, sa.ForeignKey("inbound_hooks.id"), primary_key=True),
    sa.Column("message_id", sa.String(255), primary_key=True),
    _org(),
    sa.Column("run_id", sa.Uuid, nullable=False),
    sa.Column("received_at", UtcDateTime, nullable=False),
    sa.Index(None, "received_at"),
)

embed_tokens = sa.Table(
    "embed_tokens",
    metadata,
    # A revocable credential a third-party page embeds: it starts runs of one workflow and
    # reads those runs, from the browser origins it lists.
    sa.Column("id", sa.Uuid, primary_key=True),
    _org(),
    _project(),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("workflow_id", sa.Uuid, sa.ForeignKey("workflows.id"), nullable=False),
    sa.Column("version", sa.Integer),  # NULL: the workflow's latest version at each start
    sa.Column("origins", Json, nullable=False),  # ["https://shop.example.com", …]
    sa.Column("prefix", sa.String(32), nullable=False, unique=True),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    _created(),
    sa.Column("expires_at", UtcDateTime),
    sa.Column("revoked_at", UtcDateTime),
    sa.Index(None, "org_id", "project_id", "created_at"),
)

embed_runs = sa.Table(
    "embed_runs",
    metadata,
    # The runs an embed token started: the only runs it may read.
    sa.Column("run_id", sa.Uuid, sa.ForeignKey("run_requests.id"), primary_key=True),
    sa.Column("token_id", sa.Uuid, sa.ForeignKey("embed_tokens.id"), nullable=False),
    _org(),
    _created(),
    sa.Index(None, "token_id"),
)

webhook_subscriptions = sa.Table(
    "webhook_subscriptions",
    metadata,
    # Where a project's run and operation events are sent, signed (Standard Webhooks).
    sa.Column("id", sa.Uuid, primary_key=True),
    _org(),
    _project(),
    sa.Column("name", sa.String(128), nullable=False),
    sa.Column("url", sa.String(2048), nullable=False),
    sa.Column("event_types", Json, nullable=False),  # [] = every event
    sa.Column("workflows", Json, nullable=False),  # workflow names; [] = every workflow
    sa.Column("secret", sa.String(128), nullable=False),
    sa.Column("previous_secret", sa.String(128)),
    sa.Column("previous_expires_at", UtcDateTime),
    sa.Column("enabled", sa.Boolean, nullable=False),
    sa.Column("disabled_reason", sa.Text),
    sa.Column("failing_since", UtcDateTime),  # first failed attempt since the last success
    sa.Column("created_by", sa.String(200), nullable=False),
    _created(),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("org_id", "project_id", "name"),
)

webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    # One event for one subscription; its id is the webhook-id every attempt carries.
    sa.Column("id", sa.Uuid, primary_key=True),
    _org(),
    _project(),
    sa.Column(
        "subscription_id", sa.Uuid, sa.ForeignKey("webhook_subscriptions.id"), nullable=False
    ),
    sa.Column("event_id", BigId, nullable=False),  # the run_events row it tells of
    sa.Column("event_type", sa.String(64), nullable=False),
    sa.Column("payload", Json, nullable=False),
    sa.Column("state", sa.String(16), nullable=False),  # pending | succeeded | failed
    sa.Column("attempts", sa.Integer, nullable=False),
    # When it is due: the next attempt, or the end of the lease of the attempt under way.
    sa.Column("next_attempt_at", UtcDateTime),
    sa.Column("last_attempt_at", UtcDateTime),
    sa.Column("last_status", sa.Integer),
    sa.Column("last_latency_ms", sa.Integer),
    sa.Column("last_error", sa.Text),
    _created(),
    sa.Column("delivered_at", UtcDateTime),
    sa.UniqueConstraint("subscription_id", "event_id"),
    sa.Index(None, "state", "next_attempt_at"),
    sa.Index(None, "subscription_id", "created_at"),
    sa.Index(None, "created_at"),  # the log's retention
)

webhook_cursor = sa.Table(
    "webhook_cursor",
    metadata,
    # How far the outbound tailer has read run_events: (tx, id) on PostgreSQL, id on SQLite.
    sa.Column("name", sa.String(32), primary_key=True),
    sa.Column("tx", sa.BigInteger, nullable=False),
    sa.Column("event_id", sa.BigInteger, nullable=False),
)
