"""Log records are bounded: a huge message or traceback keeps its start and end."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import structlog

from raikoo_common.logging import MAX_VALUE_CHARS, bounded, configure_logging


@contextmanager
def configured() -> Iterator[None]:
    """Logging as a service configures it, bound to the stderr the test captures."""
    saved = structlog.get_config()
    configure_logging("info", "json")
    try:
        yield
    finally:
        structlog.configure(**saved)
        logging.basicConfig(force=True)


def test_bounded_keeps_short_text_and_cuts_long_text_in_the_middle() -> None:
    assert bounded("short") == "short"
    text = "A" * 10 + "m" * 20_000 + "Z" * 10
    cut = bounded(text)
    assert len(cut) < MAX_VALUE_CHARS + 100
    assert cut.startswith("A" * 10)
    assert cut.endswith("Z" * 10)
    assert f"[{len(text) - MAX_VALUE_CHARS} characters cut]" in cut


def _ping(n: int) -> None:
    if n == 0:
        raise RecursionError("deep")
    _pong(n - 1)


def _pong(n: int) -> None:  # alternating frames: Python cannot fold them as repeats
    _ping(n)


def test_a_deep_traceback_and_a_huge_value_make_one_bounded_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with configured():
        try:
            _ping(300)
        except RecursionError:
            structlog.get_logger("t").error("failed", body="b" * 20_000, exc_info=True)
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1
    size = len(lines[0])
    assert size < 3 * MAX_VALUE_CHARS
    assert '"event": "failed"' in lines[0]
    assert lines[0].count("characters cut") == 2  # the body and the traceback


def test_standard_library_records_are_bounded_too(capsys: pytest.CaptureFixture[str]) -> None:
    with configured():
        logging.getLogger("uvicorn.error").error("Exception in ASGI application\n%s", "t" * 20_000)
    err = capsys.readouterr().err
    size = len(err)
    assert size < 3 * MAX_VALUE_CHARS
    assert "characters cut" in err
    assert err.startswith("ERROR:uvicorn.error:Exception in ASGI application")
