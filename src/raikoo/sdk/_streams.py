"""What following a stream needs in both clients: its end, its deadline, its sink."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import httpx


class StreamEnded(httpx.RemoteProtocolError):
    """The event stream closed before the run's final event (a proxy cut it, the server
    restarted): the client reconnects where it was."""

    def __init__(self) -> None:
        super().__init__("the event stream ended before the run did")


def deadline_left(deadline: float | None) -> float | None:
    """Seconds left before ``deadline`` (a ``time.monotonic()``); ``TimeoutError`` once
    it has passed."""
    if deadline is None:
        return None
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError("the run did not end in time")
    return left


@contextmanager
def open_sink(destination: Path | str | BinaryIO) -> Iterator[BinaryIO]:
    if isinstance(destination, Path | str):
        with Path(destination).open("wb") as sink:
            yield sink
    else:
        yield destination
