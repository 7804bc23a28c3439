"""One embedded Raikoo per data directory, and what a second one is told."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO


class DataDirInUse(RuntimeError):
    """Another embedded Raikoo holds the data directory; it serves the API at ``url``."""

    def __init__(self, data_dir: Path, pid: str, url: str | None) -> None:
        self.data_dir, self.pid, self.url = data_dir, pid, url
        if url:
            where = f"and serves the API at {url}: run against it with --server {url}"
        else:  # it is still starting: its address is not known yet
            where = (
                "and serves the API (`raikoo up`: http://127.0.0.1:8000 unless given --port): "
                "run against it with --server URL"
            )
        super().__init__(
            f"another Raikoo process (pid {pid}) is using {data_dir} {where}, "
            "or give this command its own --data-dir"
        )


class DataDirLock:
    """One embedded process per data directory: two writers of one SQLite file would make
    each wait on the other's lock with the event loop blocked. The lock file says who holds
    it and, once it serves, where, so a second process can point the user there."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / "raikoo.lock"
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            pid, _, url = handle.read().strip().partition(" ")
            handle.close()
            raise DataDirInUse(self.path.parent, pid or "unknown", url or None) from None
        self._file = handle
        self._write(str(os.getpid()))

    def announce(self, url: str) -> None:
        """Record where the holder serves the API."""
        self._write(f"{os.getpid()} {url}")

    def _write(self, text: str) -> None:
        if self._file is not None:
            self._file.seek(0)
            self._file.truncate()
            self._file.write(text)
            self._file.flush()

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None
