"""Chats: conversations of one caller in a project, each message answered by a run.

A chat is opened with a persona or with a chat workflow. A persona becomes a chat
workflow the gateway generates and stores like any other (``chat-<digest>``: one
``ai.prompt`` whose persona it is, the message as the prompt and the conversation as its
history), so an answer is an ordinary run — queued, executed by the ai-runner, streamed,
counted in usage and budgets, cancellable and visible in the run list — and nothing
about chats needs a writer of its own besides these two tables. A chat workflow is any
workflow that takes ``message`` (a string) and may take ``history`` (the conversation as
``{role, content}`` items), and gives an output ``answer``.

The thread is the gateway's (the ``chats`` and ``chat_messages`` tables); the reply is
the answering run's ``answer`` output, read from the run when the thread is read.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_common.outbox import OutboxOwner
from raikoo_common.workflow.problems import DefinitionInvalid
from raikoo_common.workflow.problems import Problem as DefinitionProblem
from raikoo_gateway.auth.principal import Access
from raikoo_gateway.problems import Problem, not_found
from raikoo_gateway.service import audit, runs
from raikoo_gateway.service.pages import Cursor, Page, keyset_page
from raikoo_gateway.service.workflows import (
    KindConfigs,
    StoredVersion,
    definition_of,
    store_version,
    version_by_id,
)

HISTORY_LIMIT = 200
"""The most earlier messages (user and assistant turns together) a message is sent with;
older turns are left out, the oldest first."""
ANSWER_OP = "answer"
_WITH_PREFIX = f"operations.{ANSWER_OP}.with."


def persona_workflow(persona: Any, settings: Mapping[str, Any]) -> dict[str, Any]:
    """The chat workflow of a persona: one ``ai.prompt`` with the persona, the message as
    its prompt and the conversation as its history; ``settings`` are more fields of the
    prompt (model, temperature, tools, alignment …)."""
    prompt = {
        **settings,
        "persona": persona,
        "prompt": "{{ inputs.message }}",
        "history": "{{ inputs.history }}",
    }
    body = {
        "inputs": {
            "message": {"type": "string"},
            "history": {"type": "array", "default": []},
        },
        "operations": {ANSWER_OP: {"uses": "ai.prompt", "with": prompt}},
        "outputs": {"answer": f"{{{{ ops.{ANSWER_OP}.output.text }}}}"},
    }
    digest = hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return {"name": f"chat-{digest[:16]}", **body}


def chat_problems(stored: StoredVersion) -> list[str]:
    """Why a workflow cannot answer chat messages (empty when it can)."""
    definition = definition_of(stored)
    problems = []
    message = definition.inputs.get("message")
    if message is None or message.type not in ("string", "any"):
        problems.append("it takes no `message` input of type string")
    history = definition.inputs.get("history")
    if history is not None and history.type not in ("array", "any"):
        problems.append("its `history` input is not an array")
    for name, spec in definition.inputs.items():
        if name not in ("message", "history") and spec.is_required:
            problems.append(f"its input `{name}` is required and a chat cannot give it")
    if "answer" not in definition.outputs:
        problems.append("it gives no `answer` output")
    return problems


async def store_persona_workflow(
    conn: AsyncConnection,
    access: Access,
    persona: Any,
    settings: Mapping[str, Any],
    kinds: KindConfigs,
) -> StoredVersion:
    """Store (or find) the chat workflow of ``persona``; a problem of the persona or the
    settings is reported at its own path in the request (``persona.temperature``)."""
    try:
        return await store_version(conn, access, persona_workflow(persona, settings), kinds)
    except DefinitionInvalid as exc:
        raise DefinitionInvalid(
            [_request_problem(problem) for problem in exc.problems], "request body"
        ) from None


def _request_problem(problem: DefinitionProblem) -> DefinitionProblem:
    path = problem.path
    if path.startswith(_WITH_PREFIX):
        path = path.removeprefix(_WITH_PREFIX)
        path = path if path.startswith("persona") else f"settings.{path}"
    return DefinitionProblem(path=path, message=problem.message)


async def open_chat(
    conn: AsyncConnection,
    access: Access,
    version: StoredVersion,
    *,
    title: str,
    persona: Any,
) -> uuid.UUID:
    chat_id, now = uuid.uuid4(), utcnow()
    await conn.execute(
        sa.insert(t.chats).values(
            id=chat_id,
            org_id=access.org_id,
            project_id=access.project_id,
            owner_id=access.principal.actor_id,
            title=title,
            workflow_version_id=version.version_id,
            persona=persona,
            messages=0,
            created_at=now,
            updated_at=now,
        )
    )
    details = {"workflow": version.name, "version": version.version}
    await audit.record(conn, access, "chat.opened", str(chat_id), details)
    return chat_id


def _mine(access: Access) -> list[sa.ColumnElement[bool]]:
    c = t.chats.c
    return [
        c.org_id == access.org_id,
        c.project_id == access.project_id,
        c.owner_id == access.principal.actor_id,
    ]


def _chat_query() -> sa.Select[Any]:
    c, v, w = t.chats.c, t.workflow_versions, t.workflows
    return (
        sa.select(
            c.id,
            c.title,
            c.persona,
            c.messages,
            c.created_at,
            c.updated_at,
            c.workflow_version_id,
            v.c.version,
            w.c.name,
        )
        .join(v, v.c.id == c.workflow_version_id)
        .join(w, w.c.id == v.c.workflow_id)
    )


def _chat_view(row: sa.Row[Any]) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "title": row.title,
        "workflow": {"name": row.name, "version": row.version},
        "persona": row.persona,
        "messages": row.messages,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


async def get_chat(
    conn: AsyncConnection, access: Access, chat_id: uuid.UUID
) -> dict[str, Any] | None:
    """The caller's chat; another caller's is as missing as one that never was."""
    row = (await conn.execute(_chat_query().where(t.chats.c.id == chat_id, *_mine(access)))).first()
    return None if row is None else _chat_view(row)


async def list_chats(
    conn: AsyncConnection, access: Access, *, limit: int, cursor: Cursor | None
) -> Page[dict[str, Any]]:
    """The caller's chats in the project, the most recently active first."""
    c = t.chats.c
    rows, after = await keyset_page(
        conn,
        _chat_query().where(*_mine(access)),
        [c.updated_at, c.id],
        limit=limit,
        cursor=cursor,
        descending=True,
    )
    return Page([_chat_view(row) for row in rows], after)


async def delete_chat(conn: AsyncConnection, access: Access, chat_id: uuid.UUID) -> bool:
    """Forget the thread (its messages with it); the runs that answered stay, as runs do."""
    c = t.chats.c
    found = await conn.scalar(sa.select(c.id).where(c.id == chat_id, *_mine(access)))
    if found is None:
        return False
    await conn.execute(sa.delete(t.chat_messages).where(t.chat_messages.c.chat_id == chat_id))
    await conn.execute(sa.delete(t.chats).where(c.id == chat_id))
    await audit.record(conn, access, "chat.deleted", str(chat_id))
    return True


def _message_query() -> sa.Select[Any]:
    m, r = t.chat_messages.c, t.runs
    return sa.select(
        m.id, m.seq, m.content, m.run_id, m.created_at, r.c.state, r.c.outputs, r.c.error
    ).outerjoin(r, r.c.id == m.run_id)


def _message_view(row: sa.Row[Any]) -> dict[str, Any]:
    state = row.state or "queued"
    answer = (row.outputs or {}).get("answer") if state == "succeeded" else None
    return {
        "id": str(row.id),
        "seq": row.seq,
        "content": row.content,
        "run_id": str(row.run_id),
        "state": state,
        "answer": answer if answer is None or isinstance(answer, str) else _text(answer),
        "error": row.error,
        "created_at": row.created_at,
    }


def _text(value: Any) -> str:
    return orjson.dumps(value).decode()


async def list_messages(
    conn: AsyncConnection, chat_id: uuid.UUID, *, limit: int, cursor: Cursor | None
) -> Page[dict[str, Any]]:
    """The thread in order (call after ``get_chat`` checked it is the caller's)."""
    m = t.chat_messages.c
    rows, after = await keyset_page(
        conn, _message_query().where(m.chat_id == chat_id), [m.seq], limit=limit, cursor=cursor
    )
    return Page([_message_view(row) for row in rows], after)


async def get_message(
    conn: AsyncConnection, chat_id: uuid.UUID, message_id: uuid.UUID
) -> dict[str, Any] | None:
    m = t.chat_messages.c
    row = (
        await conn.execute(_message_query().where(m.chat_id == chat_id, m.id == message_id))
    ).first()
    return None if row is None else _message_view(row)


@dataclass(frozen=True)
class Posted:
    message_id: uuid.UUID
    run_id: uuid.UUID
    created: runs.RunCreated


async def post_message(
    conn: AsyncConnection,
    access: Access,
    chat_id: uuid.UUID,
    content: str,
    outbox_owner: OutboxOwner,
) -> Posted:
    """Append the caller's message and request the run that answers it, with the
    conversation so far (the turns whose answer came) as its history. The chat row is
    locked first, so two messages posted at once are numbered one after the other."""
    c, m = t.chats.c, t.chat_messages.c
    chat = (
        await conn.execute(
            sa.select(c.id, c.workflow_version_id, c.messages)
            .where(c.id == chat_id, *_mine(access))
            .with_for_update()
        )
    ).first()
    if chat is None:
        raise _chat_not_found(chat_id)
    earlier = (
        await conn.execute(
            _message_query()
            .where(m.chat_id == chat_id)
            .order_by(m.seq.desc())
            .limit(HISTORY_LIMIT // 2)
        )
    ).all()
    pending = [row for row in earlier if (row.state or "queued") not in runs.TERMINAL]
    if pending:
        raise Problem(
            409,
            "Answer under way",
            f"message {pending[0].seq} of chat {chat_id} is still being answered (run "
            f"{pending[0].run_id}): wait for it, or cancel that run",
            "answer-under-way",
            run_id=str(pending[0].run_id),
        )
    history: list[dict[str, str]] = []
    for row in reversed(earlier):
        view = _message_view(row)
        if view["answer"] is not None:
            history += [
                {"role": "user", "content": row.content},
                {"role": "assistant", "content": view["answer"]},
            ]
    version = await version_by_id(conn, access, chat.workflow_version_id)
    if version is None:  # the version is referenced by the chat: it cannot be gone
        raise _chat_not_found(chat_id)
    inputs: dict[str, Any] = {"message": content}
    if "history" in definition_of(version).inputs:
        inputs["history"] = history
    created = await runs.request_run(
        conn,
        access,
        version,
        inputs,
        idempotency_key=None,
        trigger="chat",
        outbox_owner=outbox_owner,
    )
    message_id, now = uuid.uuid4(), utcnow()
    await conn.execute(
        sa.insert(t.chat_messages).values(
            id=message_id,
            org_id=access.org_id,
            chat_id=chat_id,
            seq=chat.messages + 1,
            content=content,
            run_id=created.run_id,
            created_at=now,
        )
    )
    await conn.execute(
        sa.update(t.chats).where(c.id == chat_id).values(messages=c.messages + 1, updated_at=now)
    )
    return Posted(message_id, created.run_id, created)


def _chat_not_found(chat_id: uuid.UUID) -> Problem:
    return not_found("chat", chat_id)
