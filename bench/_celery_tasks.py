"""The Celery app of the reference measurements: no-op tasks that note when they ran.

The driver builds its app with ``make_app``; the worker subprocess loads
``_celery_worker`` (``celery -A _celery_worker worker``), which builds one from the
environment that ``_celery_ref`` sets.
"""

from __future__ import annotations

import time
from typing import Any

from celery import Celery

BROKER = "amqp://guest:guest@127.0.0.1:5672//"


def make_app(queue: str, backend: str) -> Celery:
    celery = Celery("raikoo_bench", broker=BROKER, backend=backend)
    celery.conf.update(
        task_default_queue=queue,
        task_default_exchange=queue,
        task_default_routing_key=queue,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        worker_enable_remote_control=False,  # no pidbox queue per worker
        worker_send_task_events=False,
        task_send_sent_event=False,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        # chord.unlock (how a chord joins on a database backend) re-checks the group this
        # often; Celery's default, 1 s, would dominate a 1,000-task fan-out.
        result_chord_retry_interval=0.05,
        database_table_names={"task": f"{queue}_taskmeta", "group": f"{queue}_groupmeta"},
        # SQLite (the only database driver installed): wait for the write lock rather
        # than fail at once when 50 worker threads store results together.
        database_engine_options={"connect_args": {"timeout": 60}},
    )

    @celery.task(name="bench.step", shared=False)  # type: ignore[untyped-decorator]
    def step(previous: list[float] | None = None) -> list[float]:
        """A chain step: does nothing but append when it ran to what the previous returned."""
        return [*(previous or ()), time.time()]

    @celery.task(name="bench.noop", shared=False)  # type: ignore[untyped-decorator]
    def noop() -> None:
        return None

    @celery.task(name="bench.join", shared=False)  # type: ignore[untyped-decorator]
    def join(results: Any = None) -> float:
        """The fan-out's join: when it ran."""
        return time.time()

    return celery
