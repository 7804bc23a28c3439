"""A fake OpenAI-compatible server: a real HTTP server (Starlette under uvicorn, on its own
thread and loop) that the real ``openai`` SDK talks to.

Each chat completion takes the next scripted reply (``Answer``, ``Fail`` or ``Raw``), as JSON or,
when asked to stream, as SSE chunks — text split into small deltas (``pace`` apart),
tool-call arguments split across chunks, usage in a last chunk when
``stream_options.include_usage`` is set.
Embeddings are derived from each text; moderation flags texts holding ``FLAGME``. Every
request is recorded (``requests``) with its headers and JSON body.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


@dataclass(frozen=True)
class Call:
    name: str
    arguments: str
    id: str = ""


@dataclass(frozen=True)
class Answer:
    text: str = ""
    calls: tuple[Call, ...] = ()
    refusal: str | None = None
    prompt_tokens: int = 11
    completion_tokens: int = 7
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    delay: float = 0.0
    finish_reason: str | None = None
    pace: float = 0.0
    """Seconds between streamed text chunks, for a listener to see the answer as it comes."""


@dataclass(frozen=True)
class Fail:
    status: int
    message: str = "failed"
    code: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0


@dataclass(frozen=True)
class Raw:
    """A 200 answer with this body, as is: a malformed answer, or a stream of hand-written
    events."""

    body: bytes
    media_type: str = "application/json"


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    peer: tuple[str, int] | None = None
    """The client's address and port: calls over one kept-alive connection share it."""


@dataclass
class FakeOpenAI:
    script: list[Answer | Fail | Raw] = field(default_factory=list)
    default: Answer | None = None
    requests: list[Seen] = field(default_factory=list)
    port: int = 0
    embedding_batches: list[int] = field(default_factory=list)
    in_flight: int = 0
    most_at_once: int = 0
    """The most chat completions the server was answering at once (during their delay)."""

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def chats(self) -> list[dict[str, Any]]:
        return [seen.body for seen in self.requests if seen.path.endswith("/chat/completions")]

    def next(self) -> Answer | Fail | Raw:
        if self.script:
            return self.script.pop(0)
        if self.default is not None:
            return self.default
        return Fail(500, "the fake server has no scripted reply left")

    async def _chat(self, request: Request) -> Response:
        body = await request.json()
        peer = (request.client.host, request.client.port) if request.client else None
        self.requests.append(Seen(request.url.path, dict(request.headers), body, peer))
        reply = self.next()
        if not isinstance(reply, Raw) and reply.delay:
            self.in_flight += 1
            self.most_at_once = max(self.most_at_once, self.in_flight)
            try:
                await asyncio.sleep(reply.delay)
            finally:
                self.in_flight -= 1
        if isinstance(reply, Fail):
            return _failure(reply)
        if isinstance(reply, Raw):
            return Response(reply.body, media_type=reply.media_type)
        model = body.get("model", "fake-model")
        if body.get("stream"):
            usage = (body.get("stream_options") or {}).get("include_usage", False)
            return StreamingResponse(_sse(reply, model, usage), media_type="text/event-stream")
        return JSONResponse(_completion(reply, model))

    async def _embeddings(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append(Seen(request.url.path, dict(request.headers), body))
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        self.embedding_batches.append(len(texts))
        size = int(body.get("dimensions") or 4)
        data = [
            {"object": "embedding", "index": i, "embedding": _vector(text, size)}
            for i, text in reversed(list(enumerate(texts)))  # out of order, as servers may
        ]
        tokens = sum(len(text.split()) for text in texts)
        return JSONResponse(
            {
                "object": "list",
                "data": data,
                "model": body["model"],
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            }
        )

    async def _moderations(self, request: Request) -> Response:
        body = await request.json()
        self.requests.append(Seen(request.url.path, dict(request.headers), body))
        flagged = "FLAGME" in str(body["input"])
        categories = {"harassment": flagged, "violence": False}
        return JSONResponse(
            {
                "id": "modr-1",
                "model": body.get("model", "omni-moderation-latest"),
                "results": [
                    {
                        "flagged": flagged,
                        "categories": categories,
                        "category_scores": {k: float(v) for k, v in categories.items()},
                    }
                ],
            }
        )

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/v1/chat/completions", self._chat, methods=["POST"]),
                Route("/v1/embeddings", self._embeddings, methods=["POST"]),
                Route("/v1/moderations", self._moderations, methods=["POST"]),
            ]
        )


def _failure(reply: Fail) -> Response:
    error = {"message": reply.message, "type": "error", "code": reply.code, "param": None}
    return JSONResponse({"error": error}, status_code=reply.status, headers=dict(reply.headers))


def _usage(reply: Answer) -> dict[str, Any]:
    return {
        "prompt_tokens": reply.prompt_tokens,
        "completion_tokens": reply.completion_tokens,
        "total_tokens": reply.prompt_tokens + reply.completion_tokens,
        "prompt_tokens_details": {"cached_tokens": reply.cached_tokens},
        "completion_tokens_details": {"reasoning_tokens": reply.reasoning_tokens},
    }


def _finish(reply: Answer) -> str:
    return reply.finish_reason or ("tool_calls" if reply.calls else "stop")


def _call_id(call: Call, index: int) -> str:
    return call.id or f"call_{index}"


def _completion(reply: Answer, model: str) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
    if reply.refusal is not None:
        message["refusal"] = reply.refusal
    if reply.calls:
        message["tool_calls"] = [
            {
                "id": _call_id(call, i),
                "type": "function",
                "function": {"name": call.name, "arguments": call.arguments},
            }
            for i, call in enumerate(reply.calls)
        ]
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": _finish(reply)}],
        "usage": _usage(reply),
    }


async def _sse(reply: Answer, model: str, usage: bool) -> Any:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
        body = {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return f"data: {json.dumps(body)}\n\n".encode()

    yield chunk({"role": "assistant", "content": ""})
    for start in range(0, len(reply.text), 3):
        yield chunk({"content": reply.text[start : start + 3]})
        await asyncio.sleep(reply.pace)
    if reply.refusal is not None:
        yield chunk({"refusal": reply.refusal})
    for i, call in enumerate(reply.calls):
        head = {"index": i, "id": _call_id(call, i), "type": "function"}
        yield chunk({"tool_calls": [{**head, "function": {"name": call.name, "arguments": ""}}]})
        for start in range(0, len(call.arguments), 4):  # arguments split across chunks
            part = call.arguments[start : start + 4]
            yield chunk({"tool_calls": [{"index": i, "function": {"arguments": part}}]})
    yield chunk({}, _finish(reply))
    if usage:
        body = {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": model,
            "choices": [],
            "usage": _usage(reply),
        }
        yield f"data: {json.dumps(body)}\n\n".encode()
    yield b"data: [DONE]\n\n"


def _vector(text: str, size: int) -> list[float]:
    digest = hashlib.sha256(text.encode()).digest()
    return [digest[i % len(digest)] / 255 for i in range(size)]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(app: Any, port: int | None = None) -> Iterator[int]:
    """Serve an ASGI app on 127.0.0.1 from a thread; yields its port."""
    port = port or _free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        log_config=None,  # uvicorn's own logging setup would replace the process's handlers
        lifespan="on",
        backlog=4096,
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the fake server did not start")
        time.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def fake_openai(
    *script: Answer | Fail | Raw, default: Answer | None = None
) -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI(list(script), default)
    with serving(fake.app()) as port:
        fake.port = port
        yield fake
