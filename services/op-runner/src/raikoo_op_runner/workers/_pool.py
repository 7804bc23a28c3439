"""A small pool of worker processes that the op-runner can stop at any moment.

A thread cannot be stopped, so work that may run past its operation's timeout — a
``template.render`` template, a ``json.transform`` expression, a conversion — runs in a
worker process: when the operation is cancelled or times out, its worker is killed at once
(it burns no CPU after) and a replacement is started in the background, so the pool stays
warm. Every worker runs every registered job type (``_registry``).

The pool is lazy: no process starts until the first job. Jobs travel as frames over the
workers' pipes, read and written without blocking the event loop (``add_reader``), so the
pool works from any event loop of the process, one after another (tests run several).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import signal
import subprocess
import sys
from collections import deque
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

from raikoo_op_runner.workers._frames import HEADER, decode, encode

WORKER_MODULE = "raikoo_op_runner.workers.worker"
PIPE_BYTES = 1 << 20
"""Pipe buffer asked for (Linux; at most ``/proc/sys/fs/pipe-max-size``, 1 MiB by default):
a large result crosses in 1 MiB steps of the event loop, not 64 KiB ones."""
_SET_PIPE_SIZE = getattr(fcntl, "F_SETPIPE_SZ", 1031)
_ONE_THREAD = dict.fromkeys(
    ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_MAX_THREADS"), "1"
)
"""A worker runs one job at a time: numerical libraries (imported by document converters)
must not start a thread per core, each reserving address space under the worker's limit."""


Cause = Literal["wall", "cpu", "ended", "stopping"]


class WorkerFailed(Exception):
    """The job did not finish: it ran past its wall time (``wall``), its worker was stopped
    at its CPU limit (``cpu``) or ended otherwise (``ended``: killed, crashed), or the pool
    is closing (``stopping``)."""

    def __init__(self, message: str, cause: Cause) -> None:
        super().__init__(message)
        self.cause = cause


@dataclass(frozen=True, slots=True)
class PoolSettings:
    size: int
    """Worker processes at most."""
    memory_bytes: int
    """Address space a worker may ever have (its hard RLIMIT_AS); each job sets its own
    limit up to this."""


class Reply(NamedTuple):
    message: dict[str, Any]
    payload: bytes


class WorkerPool:
    def __init__(self, settings: PoolSettings) -> None:
        self.settings = settings
        self._idle: list[_Worker] = []
        self._started = 0
        self._waiters: deque[asyncio.Future[_Worker]] = deque()
        self._closed = False

    @property
    def workers(self) -> int:
        """Worker processes alive now (idle or busy)."""
        return self._started

    async def run(self, request: dict[str, Any], wall_seconds: float) -> dict[str, Any]:
        """``call`` for a job that neither sends nor returns a payload: the reply message."""
        return (await self.call(request, wall_seconds=wall_seconds)).message

    async def call(
        self, request: dict[str, Any], payload: bytes = b"", *, wall_seconds: float
    ) -> Reply:
        """Send ``request`` (and ``payload``) to a worker and return its reply. A worker
        still busy after ``wall_seconds``, or whose caller is cancelled, is killed and
        replaced."""
        frame = encode(request, payload)
        worker = await self._acquire()
        try:
            async with asyncio.timeout(wall_seconds):
                body, returned = await worker.call(frame)
            reply = Reply(decode(body), returned)
        except TimeoutError:
            self._discard(worker)
            raise WorkerFailed(f"the work ran for more than {wall_seconds:g} s", "wall") from None
        except WorkerFailed:
            self._discard(worker)
            raise
        except BaseException:  # cancelled (the operation's timeout, a cancel): stop it now
            self._discard(worker)
            raise
        if reply.message.pop("recycle", False):
            self._discard(worker)
        else:
            self._release(worker)
        return reply

    async def close(self) -> None:
        self.close_now()

    def close_now(self) -> None:
        """Stop every worker (idle ones; busy ones are killed when their job returns)."""
        self._closed = True
        while self._idle:
            self._idle.pop().stop()
        for waiter in self._waiters:
            if not waiter.done():
                waiter.cancel()
        self._waiters.clear()

    async def _acquire(self) -> _Worker:
        if self._closed:
            raise WorkerFailed("the op-runner is stopping", "stopping")
        while self._idle:
            worker = self._idle.pop()
            if worker.alive():
                return worker
            self._forget(worker)
        if self._started < self.settings.size:
            return self._spawn()
        waiter: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self._release(waiter.result())
            raise

    def _release(self, worker: _Worker) -> None:
        if self._closed:
            self._discard(worker)
            return
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done() and not waiter.get_loop().is_closed():
                waiter.set_result(worker)
                return
        self._idle.append(worker)

    def _discard(self, worker: _Worker) -> None:
        """Kill a worker that failed or may still be working; keep the pool warm, with a
        replacement started just after (starting one takes milliseconds: the cancelled
        caller, an operation past its timeout, must not wait for it)."""
        worker.kill()
        self._forget(worker)
        self._started += 1  # the replacement's place, held until it starts
        asyncio.get_running_loop().call_soon(self._replace)

    def _replace(self) -> None:
        self._started -= 1
        if self._closed or self._started >= self.settings.size:
            return
        with contextlib.suppress(OSError):
            self._release(self._spawn())

    def _forget(self, worker: _Worker) -> None:
        self._started -= 1
        worker.reap()

    def _spawn(self) -> _Worker:
        worker = _Worker.start(self.settings.memory_bytes)
        self._started += 1
        return worker


class _Worker:
    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stdin is not None
        assert process.stdout is not None
        self.process = process
        self._to = process.stdin.fileno()
        self._from = process.stdout.fileno()
        for pipe in (self._to, self._from):
            os.set_blocking(pipe, False)
            with contextlib.suppress(OSError):  # not Linux, or a lower system maximum
                fcntl.fcntl(pipe, _SET_PIPE_SIZE, PIPE_BYTES)

    @classmethod
    def start(cls, memory_bytes: int) -> _Worker:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", WORKER_MODULE, str(memory_bytes)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            close_fds=True,
            env={**os.environ, **_ONE_THREAD},
        )
        return cls(process)

    def alive(self) -> bool:
        return self.process.poll() is None

    async def call(self, frame: tuple[bytes, bytes]) -> tuple[bytes, bytes]:
        for part in frame:
            await self._write(part)
        header = await self._read_exactly(HEADER.size)
        message_size, payload_size = HEADER.unpack(header)
        return await self._read_exactly(message_size), await self._read_exactly(payload_size)

    async def _write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                written = os.write(self._to, view)
            except BlockingIOError:
                written = 0
            except (BrokenPipeError, ConnectionResetError):
                raise self._died() from None
            view = view[written:]
            if view:
                # Wait for room — or, when the worker keeps reading, let the loop run
                # between chunks: megabytes must not cross in one callback.
                await (self._ready(writing=True) if not written else asyncio.sleep(0))

    async def _read_exactly(self, size: int) -> bytes:
        chunks: list[bytes] = []
        left = size
        while left:
            try:
                chunk = os.read(self._from, min(left, PIPE_BYTES))
            except BlockingIOError:
                await self._ready(writing=False)
                continue
            if not chunk:
                raise self._died()
            chunks.append(chunk)
            left -= len(chunk)
            if left:
                await asyncio.sleep(0)  # the worker keeps writing: let the loop run between chunks
        return b"".join(chunks)

    async def _ready(self, *, writing: bool) -> None:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        if writing:
            loop.add_writer(self._to, wake)
        else:
            loop.add_reader(self._from, wake)
        try:
            await ready
        finally:
            if writing:
                loop.remove_writer(self._to)
            else:
                loop.remove_reader(self._from)

    def _died(self) -> WorkerFailed:
        code = self.process.poll()
        if code is None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                code = self.process.wait(timeout=0.5)
        cause: Cause = "cpu" if code == -signal.SIGXCPU else "ended"
        return WorkerFailed(f"its worker process ended ({_exit_reason(code)})", cause)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()

    def stop(self) -> None:
        """End an idle worker: it holds nothing, so it is terminated rather than waited for
        (one still starting would read its closed input only once its imports are done)."""
        self._close_pipes()
        with contextlib.suppress(ProcessLookupError):
            self.process.terminate()
        self.process.wait()

    def reap(self) -> None:
        """Collect a killed worker's exit status without waiting on the event loop."""
        self._close_pipes()
        if self.process.poll() is None:
            try:
                asyncio.get_running_loop().run_in_executor(None, self.process.wait)
            except RuntimeError:  # no loop: at exit
                self.process.wait()

    def _close_pipes(self) -> None:
        for pipe in (self.process.stdin, self.process.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


def _exit_reason(code: int | None) -> str:
    if code is None:
        return "still running"
    if code >= 0:
        return f"exit status {code}"
    signals = {
        signal.SIGKILL: "killed, probably out of memory",
        signal.SIGXCPU: "past its CPU time limit",
        signal.SIGSEGV: "crashed",
    }
    return signals.get(signal.Signals(-code), f"signal {signal.Signals(-code).name}")
