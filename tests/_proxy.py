"""A TCP proxy in front of a Raikoo API that cuts chosen connections, as a load balancer or
a flaky network does: it runs its own event loop in a thread, so sync and async clients
alike go through it. Each connection carries one request (the clients under test are
asked to close after its answer), so a rule decides per request."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

Cut = Callable[[bytes], bool]
"""Given the answer's bytes passed on so far, whether to cut before passing the next."""
Rule = Callable[[bytes], Cut | None]
"""Given a request's head (request line and headers), how to cut its answer; None: not."""


@dataclass
class CuttingProxy:
    target_port: int
    rule: Rule
    heads: list[bytes] = field(default_factory=list)
    """The head of every request that came through, in order."""
    port: int = 0
    streams: set[asyncio.StreamWriter] = field(default_factory=set)
    """The connections open now (both sides), closed when the proxy stops."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def requests_to(self, fragment: bytes) -> list[bytes]:
        return [head for head in self.heads if fragment in head.split(b"\r\n", 1)[0]]

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream: asyncio.StreamWriter | None = None
        self.streams.add(writer)
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            self.heads.append(head)
            cut = self.rule(head)
            from_server, upstream = await asyncio.open_connection("127.0.0.1", self.target_port)
            self.streams.add(upstream)
            upstream.write(_closing(head))
            pump = asyncio.create_task(_copy(reader, upstream))
            passed = b""
            while chunk := await from_server.read(65536):
                if cut is not None and cut(passed):
                    break  # dropped: the client sees the connection close mid-answer
                writer.write(chunk)
                await writer.drain()
                passed += chunk
            pump.cancel()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass  # cancelled: the proxy stops; the connection is closed below
        finally:
            for stream in (writer, upstream):
                if stream is not None:
                    self.streams.discard(stream)
                    stream.close()
                    with suppress(ConnectionError):
                        await stream.wait_closed()


def _closing(head: bytes) -> bytes:
    """The head asking the server to close the connection after its answer (which it
    tells the client too), so a connection carries one request."""
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join([*lines[:-2], b"Connection: close", b"", b""])


async def _copy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with suppress(ConnectionError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()


@contextmanager
def cutting_proxy(target_port: int, rule: Rule) -> Iterator[CuttingProxy]:
    proxy = CuttingProxy(target_port, rule)
    loop = asyncio.new_event_loop()
    started = threading.Event()
    server: asyncio.Server | None = None

    async def start() -> None:
        nonlocal server
        server = await asyncio.start_server(proxy._serve, "127.0.0.1", 0)
        proxy.port = server.sockets[0].getsockname()[1]
        started.set()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop).result()
    started.wait()
    try:
        yield proxy
    finally:

        async def stop() -> None:
            # Close the connections, so that each handler ends as a finished task: a
            # cancelled one trips asyncio's own callback (Python 3.11), which then leaves
            # its transport open for the garbage collector to warn about in a later test.
            assert server is not None
            server.close()
            for stream in list(proxy.streams):
                stream.close()
            tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
            if tasks:
                _, late = await asyncio.wait(tasks, timeout=10)
                for task in late:
                    task.cancel()
                await asyncio.gather(*late, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


def once(fragment: bytes, cut: Cut) -> Rule:
    """Cut the answer of the first request whose request line holds ``fragment``."""
    done: list[bool] = []

    def rule(head: bytes) -> Cut | None:
        if done or fragment not in head.split(b"\r\n", 1)[0]:
            return None
        done.append(True)
        return cut

    return rule
