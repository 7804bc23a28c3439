"""The reference peer: the same shapes on Celery, over the same RabbitMQ.

Worker: a subprocess, ``--pool threads --concurrency 50`` (the fan-out's max_parallel;
no-op tasks are I/O-bound in Celery's own plumbing, and 50 prefork processes would not fit
two cores), its own uniquely named queue, prefetch multiplier left at Celery's default (4).

Backends:

* ``rpc://`` (the main figures): results travel back over RabbitMQ to the caller. It does
  not support chords, so the fan-out is a ``group`` of no-op tasks joined by the caller
  (``GroupResult.join_native``) that then sends a ``join`` task; tasks/s counts the join.
* ``db+sqlite`` (optional, ``chord_sqlite``): a real ``chord`` with a join callback on the
  SQLAlchemy database backend. SQLite, because no synchronous PostgreSQL driver is
  installed; Celery then joins by polling (``chord_unlock``, every 50 ms here).

Timestamps are taken inside the tasks (``time.time()``), so "per step" has the same
meaning as Raikoo's ``finished_at`` differences. A chain's result is fetched with
``follow_parents=False``: otherwise ``get()`` asks the rpc backend for each of the 99
parents one by one, which keeps the client busy for ~4 s after the chain ended.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import amqp
from celery import Celery, chain, chord, group

from _celery_tasks import BROKER, make_app
from _procs import BENCH_DIR, Child, python
from _stats import median, percentile

CONCURRENCY = 50


@dataclass
class Worker:
    app: Celery
    child: Child
    queue: str
    backend: str


@contextmanager
def worker(backend_kind: str = "rpc") -> Iterator[Worker]:
    queue = f"raikoo-bench-celery-{uuid.uuid4().hex[:10]}"
    with tempfile.TemporaryDirectory(prefix="raikoo-bench-celery-") as tmp:
        if backend_kind == "rpc":
            backend = "rpc://"
        else:
            path = Path(tmp) / "results.sqlite"
            with sqlite3.connect(path) as db:  # WAL persists in the file: readers beside writers
                db.execute("PRAGMA journal_mode=WAL")
            backend = f"db+sqlite:///{path}"
        child = Child(
            "celery-worker",
            python(
                "-m",
                "celery",
                "-A",
                "_celery_worker",
                "worker",
                "--pool",
                "threads",
                "--concurrency",
                str(CONCURRENCY),
                "--queues",
                queue,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "warning",
            ),
            env={"BENCH_CELERY_QUEUE": queue, "BENCH_CELERY_BACKEND": backend},
            cwd=BENCH_DIR,
            log_dir=Path(tmp),
        )
        app = make_app(queue, backend)
        try:
            # Ready when it has run a task.
            app.signature("bench.noop").apply_async().get(timeout=60, interval=0.05)
            yield Worker(app, child, queue, backend)
        finally:
            # Nothing is in flight by now. A threads-pool worker lingers ~10 s after SIGTERM
            # or SIGQUIT; after 3 s it is killed (its queue is deleted just below anyway).
            child.stop(timeout=3, sig=signal.SIGQUIT)
            app.close()
            _delete_queue(queue)


def _delete_queue(queue: str) -> None:
    with amqp.Connection(
        BROKER.removeprefix("amqp://").split("@")[1].rstrip("/"), userid="guest", password="guest"
    ) as conn:
        channel = conn.channel()
        channel.queue_delete(queue)
        channel.exchange_delete(queue)


def chain_steps(w: Worker, steps: int, runs: int) -> dict[str, Any]:
    step = w.app.signature("bench.step")
    per_step: list[float] = []
    for _ in range(runs):
        stamps = (
            chain(*(step.clone() for _ in range(steps)))
            .apply_async()
            .get(timeout=300, interval=0.05, follow_parents=False)
        )
        per_step.extend(b - a for a, b in pairwise(stamps))
    return {
        "steps": steps,
        "runs": runs,
        "definition": "per step = time.time() at the end of task i minus that of task i-1",
        "step_p50_ms": median(per_step) * 1000,
        "step_p99_ms": percentile(per_step, 99) * 1000,
        "samples": len(per_step),
    }


def fan_out(w: Worker, width: int, runs: int) -> dict[str, Any]:
    noop, join = w.app.signature("bench.noop"), w.app.signature("bench.join")
    rates = []
    for _ in range(runs):
        submitted = time.time()
        header = group(noop.clone() for _ in range(width))
        if w.backend.startswith("rpc"):
            header.apply_async().join_native(timeout=600)
            finished = join.clone().apply_async().get(timeout=60, interval=0.05)
        else:
            finished = chord(header)(join.clone()).get(timeout=600, interval=0.05)
        rates.append((width + 1) / (finished - submitted))
    return {
        "width": width,
        "runs": runs,
        "backend": w.backend.split(":")[0],
        "join": "caller joins (join_native), then a join task"
        if w.backend.startswith("rpc")
        else "chord (chord_unlock polling every 50 ms)",
        "definition": "tasks/s = (width + join) / (join task ran - client submit time)",
        "tasks_per_s": median(rates),
        "tasks_per_s_per_run": rates,
    }


def concurrent(w: Worker, runs: int, steps: int, rounds: int) -> dict[str, Any]:
    step = w.app.signature("bench.step")
    rates, p50s, p95s = [], [], []
    for _ in range(rounds):
        started = []
        for _ in range(runs):
            at = time.time()
            started.append((at, chain(*(step.clone() for _ in range(steps))).apply_async()))
        finished = [
            (at, result.get(timeout=300, interval=0.05, follow_parents=False)[-1])
            for at, result in started
        ]
        latencies = [end - at for at, end in finished]
        rates.append(runs / (max(end for _, end in finished) - min(at for at, _ in finished)))
        p50s.append(median(latencies))
        p95s.append(percentile(latencies, 95))
    return {
        "runs": runs,
        "steps": steps,
        "rounds": rounds,
        "definition": "latency = last task's time.time() - client submit time",
        "runs_per_s": median(rates),
        "latency_p50_ms": median(p50s) * 1000,
        "latency_p95_ms": median(p95s) * 1000,
    }


if __name__ == "__main__":
    os.chdir(BENCH_DIR)
    with worker("rpc") as w:
        print(chain_steps(w, 30, 2))
        print(fan_out(w, 200, 1))
        print(concurrent(w, 20, 5, 1))
