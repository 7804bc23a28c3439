"""What an operation writes while it runs (AI token deltas), out to live listeners.

Text is batched — one ``OperationOutputDelta`` at most every ``interval`` seconds per
operation — and broadcast on ``runs.events`` best effort: a listener that misses one still
gets the operation's output when it ends. The operation's secrets are masked in the text,
also when one arrives split across two batches: the end of a batch that could be the start
of a secret waits for the next.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid

import structlog

from raikoo_common.bus import Bus
from raikoo_common.messages import Channel, Envelope, OperationOutputDelta, OperationReady
from raikoo_common.secrets import Redactor

log = structlog.get_logger(__name__)

STREAM_INTERVAL = 0.1


class OutputDeltas:
    def __init__(
        self,
        bus: Bus,
        org_id: uuid.UUID,
        ready: OperationReady,
        redactor: Redactor,
        *,
        interval: float = STREAM_INTERVAL,
    ) -> None:
        self._bus, self._org_id, self._ready = bus, org_id, ready
        self._redactor = redactor
        self._interval = interval
        self._buffer = ""
        self._index = 0
        self._flusher: asyncio.Task[None] | None = None
        self._last_sent = float("-inf")
        self._closed = False

    def write(self, text: str) -> None:
        """Queue ``text`` for listeners; never blocks, never raises."""
        if not text or self._closed:
            return
        self._buffer += text
        if self._flusher is None:
            loop = asyncio.get_running_loop()
            wait = max(0.0, self._last_sent + self._interval - loop.time())
            self._flusher = loop.create_task(self._flush_after(wait))

    async def close(self) -> None:
        """Send what is left, before the operation's result goes out."""
        self._closed = True
        if self._flusher is not None:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher
            self._flusher = None
        await self._send(final=True)

    async def _flush_after(self, wait: float) -> None:
        if wait:
            await asyncio.sleep(wait)
        self._flusher = None
        await self._send(final=False)

    async def _send(self, *, final: bool) -> None:
        cut = len(self._buffer) if final else self._safe_cut()
        text, self._buffer = self._buffer[:cut], self._buffer[cut:]
        if not text:
            return
        self._last_sent = asyncio.get_running_loop().time()
        ready = self._ready
        delta = OperationOutputDelta(
            run_id=ready.run_id,
            op_run_id=ready.op_run_id,
            op_key=ready.op_key,
            attempt=ready.attempt,
            index=self._index,
            text=self._redactor.scrub(text),
        )
        self._index += 1
        try:
            await self._bus.publish(
                Channel.RUNS_EVENTS, Envelope.wrap(delta, org_id=self._org_id, run_id=ready.run_id)
            )
        except Exception:
            log.warning("output delta not sent", op_key=ready.op_key, exc_info=True)

    def _safe_cut(self) -> int:
        """Where the buffer may be cut without splitting a secret: before the last
        characters that could begin one, and before any secret that crosses that point."""
        forms = self._redactor.values
        if not forms:
            return len(self._buffer)
        buffer = self._buffer
        cut = max(0, len(buffer) - (len(forms[0]) - 1))
        for form in forms:
            start = buffer.find(form, max(0, cut - len(form) + 1))
            if 0 <= start < cut < start + len(form):
                cut = start
        return cut
