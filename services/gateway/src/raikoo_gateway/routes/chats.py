"""Chats: ``POST /v1/chats`` opens a thread with a persona or a chat workflow;
``POST /v1/chats/{id}/messages`` appends the caller's message and streams the answer (see
``service/chats.py`` for how an answer is a run)."""

import uuid
from collections.abc import AsyncIterator
from contextlib import aclosing
from typing import Annotated, Any

import orjson
from fastapi import Query, Response
from sse_starlette import EventSourceResponse, ServerSentEvent

from raikoo_common.api.chats import Chat, ChatCreate, ChatMessage, MessageCreate
from raikoo_common.db.engine import read_only
from raikoo_common.workflow.problems import DefinitionInvalid
from raikoo_common.workflow.problems import Problem as DefinitionProblem
from raikoo_gateway.auth.policy import EditorAccess
from raikoo_gateway.auth.principal import Access
from raikoo_gateway.context import ContextDep, GatewayContext
from raikoo_gateway.problems import not_found
from raikoo_gateway.routes.runs import follow_run
from raikoo_gateway.routing import Routes
from raikoo_gateway.service import chats, transactions
from raikoo_gateway.service.pages import Cursor, CursorQuery, Limit, PageOut
from raikoo_gateway.service.workflows import find_version

router = Routes(prefix="/v1/chats", tags=["chats"])


@router.post("", status_code=201)
async def open_chat(
    body: ChatCreate, response: Response, context: ContextDep, access: EditorAccess
) -> Chat:
    """Open a thread with a persona (its chat workflow is generated and stored, once per
    persona and settings) or with a chat workflow of the project."""

    async def open_(conn: Any) -> uuid.UUID:
        if body.persona is not None:
            version = await chats.store_persona_workflow(
                conn, access, body.persona, body.settings, context.kind_configs
            )
        else:
            assert body.workflow is not None
            found = await find_version(conn, access, body.workflow, body.version)
            if found is None:
                what = repr(body.workflow) + (f" version {body.version}" if body.version else "")
                raise not_found("workflow", what)
            problems = chats.chat_problems(found)
            if problems:
                raise DefinitionInvalid(
                    [DefinitionProblem(path="workflow", message=p) for p in problems],
                    f"workflow {found.name!r} is not a chat workflow",
                )
            version = found
        title = body.title or _title(body)
        return await chats.open_chat(conn, access, version, title=title, persona=body.persona)

    chat_id = await transactions.write(context.engine, open_)
    response.headers["Location"] = f"/v1/chats/{chat_id}"
    return await _require_chat(context, access, chat_id)


def _title(body: ChatCreate) -> str:
    if body.workflow is not None:
        return body.workflow
    if isinstance(body.persona, str):
        return body.persona
    name = (body.persona or {}).get("name")
    return str(name)[:200] if name else "Chat"


@router.get("")
async def list_chats(
    context: ContextDep, access: EditorAccess, limit: Limit = 50, cursor: CursorQuery = None
) -> PageOut[Chat]:
    """The caller's chats in the project, the most recently active first."""
    async with read_only(context.engine) as conn:
        page = await chats.list_chats(conn, access, limit=limit, cursor=Cursor.decode(cursor))
    return PageOut[Chat].of(page)


@router.get("/{chat_id}")
async def get_chat(chat_id: uuid.UUID, context: ContextDep, access: EditorAccess) -> Chat:
    return await _require_chat(context, access, chat_id)


@router.delete("/{chat_id}", status_code=204)
async def delete_chat(chat_id: uuid.UUID, context: ContextDep, access: EditorAccess) -> Response:
    """Forget the thread and its messages (the runs that answered stay, as runs do)."""
    async with context.engine.begin() as conn:
        if not await chats.delete_chat(conn, access, chat_id):
            raise not_found("chat", chat_id)
    return Response(status_code=204)


@router.get("/{chat_id}/messages")
async def list_messages(
    chat_id: uuid.UUID,
    context: ContextDep,
    access: EditorAccess,
    limit: Limit = 50,
    cursor: CursorQuery = None,
) -> PageOut[ChatMessage]:
    """The thread, oldest first: each message with its answer (or where its run stands)."""
    await _require_chat(context, access, chat_id)
    async with read_only(context.engine) as conn:
        page = await chats.list_messages(conn, chat_id, limit=limit, cursor=Cursor.decode(cursor))
    return PageOut[ChatMessage].of(page)


@router.get("/{chat_id}/messages/{message_id}")
async def get_message(
    chat_id: uuid.UUID, message_id: uuid.UUID, context: ContextDep, access: EditorAccess
) -> ChatMessage:
    """One message, with its answer once its run has one (or where its run stands)."""
    await _require_chat(context, access, chat_id)
    async with read_only(context.engine) as conn:
        found = await chats.get_message(conn, chat_id, message_id)
    if found is None:
        raise not_found("message", message_id)
    return ChatMessage.model_validate(found)


@router.post(
    "/{chat_id}/messages",
    status_code=201,
    responses={
        200: {
            "description": (
                "With `stream` (the default): server-sent events — `message` (the message "
                "as stored), `delta` (answer text as it is written: `{op_key, text}`), then "
                "`answer` (the message with its answer, or its run's error)"
            ),
            "content": {"text/event-stream": {}},
        }
    },
)
async def post_message(
    chat_id: uuid.UUID,
    body: MessageCreate,
    context: ContextDep,
    access: EditorAccess,
    stream: Annotated[
        bool, Query(description="Stream the answer (SSE); false: 201 with the message")
    ] = True,
) -> Any:
    """Send a message; a run answers it with the conversation so far. One message at a
    time: while the previous one is being answered, a new one is a 409."""

    async def post(conn: Any) -> chats.Posted:
        return await chats.post_message(conn, access, chat_id, body.content, context.relay.owner)

    posted = await transactions.write(context.engine, post)
    await context.relay.publish(posted.created.outbox)
    message = await _require_message(context, chat_id, posted.message_id)
    if not stream:
        return Response(
            message.model_dump_json(),
            status_code=201,
            media_type="application/json",
            headers={"Location": f"/v1/chats/{chat_id}/messages"},
        )
    return EventSourceResponse(
        _answer(context, access, chat_id, message),
        ping=int(context.settings.sse_keepalive_seconds),
    )


async def _answer(
    context: GatewayContext, access: Access, chat_id: uuid.UUID, message: ChatMessage
) -> AsyncIterator[ServerSentEvent]:
    yield ServerSentEvent(data=message.model_dump_json(), event="message")
    async with aclosing(follow_run(context, access, message.run_id, 0)) as events:
        async for event in events:
            if event["type"] == "operation.output_delta":
                data = event["data"]
                delta = {"op_key": data.get("op_key"), "text": data.get("text", "")}
                yield ServerSentEvent(data=orjson.dumps(delta).decode(), event="delta")
    final = await _require_message(context, chat_id, message.id)
    yield ServerSentEvent(data=final.model_dump_json(), event="answer")


async def _require_chat(context: GatewayContext, access: Access, chat_id: uuid.UUID) -> Chat:
    async with read_only(context.engine) as conn:
        found = await chats.get_chat(conn, access, chat_id)
    if found is None:
        raise not_found("chat", chat_id)
    return Chat.model_validate(found)


async def _require_message(
    context: GatewayContext, chat_id: uuid.UUID, message_id: uuid.UUID
) -> ChatMessage:
    async with read_only(context.engine) as conn:
        found = await chats.get_message(conn, chat_id, message_id)
    assert found is not None, f"message {message_id} was stored by this request"
    return ChatMessage.model_validate(found)
