"""structlog, configured once per process: readable on a TTY, JSON lines otherwise.

Every record is bounded: a value longer than ``MAX_VALUE_CHARS`` keeps its start and its
end (a traceback's last frames say the most) and says how much was cut, so no input can
make one log line hundreds of kilobytes long.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any, Literal

import structlog

from raikoo_common.secrets.redact import redact_log_event

MAX_VALUE_CHARS = 4000
_HEAD_CHARS = 1000


def bounded(text: str, limit: int = MAX_VALUE_CHARS) -> str:
    """``text`` itself, or its start and end with the number of characters cut between."""
    if len(text) <= limit:
        return text
    tail = limit - _HEAD_CHARS
    return f"{text[:_HEAD_CHARS]}\n… [{len(text) - limit} characters cut] …\n{text[-tail:]}"


def _bound_values(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    # Text only (messages, rendered exceptions): other values are what the code chose to log.
    for key, value in event.items():
        if isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
            event[key] = bounded(value)
    return event


class _BoundedFormatter(logging.Formatter):
    """For records of libraries that log through ``logging`` (uvicorn, SQLAlchemy)."""

    def format(self, record: logging.LogRecord) -> str:
        return bounded(super().format(record), 2 * MAX_VALUE_CHARS)


def configure_logging(
    level: str = "info", fmt: Literal["auto", "console", "json"] = "auto"
) -> None:
    use_console = fmt == "console" or (fmt == "auto" and sys.stderr.isatty())
    renderer: structlog.typing.Processor = (
        structlog.dev.ConsoleRenderer() if use_console else structlog.processors.JSONRenderer()
    )
    numeric = logging.getLevelNamesMapping()[level.upper()]
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.StackInfoRenderer(),
            structlog.processors.format_exc_info,
            redact_log_event,  # after exceptions are text: their messages are masked too
            _bound_values,  # after masking: a cut must not split a secret it would mask
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_BoundedFormatter("%(levelname)s:%(name)s:%(message)s"))
    logging.basicConfig(level=max(numeric, logging.WARNING), handlers=[handler], force=True)


def bind_run_context(
    *, org_id: object = None, run_id: object = None, op_run_id: object = None
) -> None:
    values = {"org_id": org_id, "run_id": run_id, "op_run_id": op_run_id}
    structlog.contextvars.bind_contextvars(
        **{k: str(v) for k, v in values.items() if v is not None}
    )


get_logger = structlog.get_logger
