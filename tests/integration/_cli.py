"""The ``raikoo`` command as a user runs it: a separate process; and ``raikoo up`` serving."""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from raikoo.credentials import local_admin_key
from tests._budget import WAIT_SECONDS

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = WAIT_SECONDS
"""How long a started process may take to serve: generous, a loaded machine is slow."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def nowhere() -> str:
    """An API address where nothing answers: commands run Raikoo in-process."""
    return f"http://127.0.0.1:{free_port()}"


def cli_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "RAIKOO_LOG_FORMAT": "json", **(extra or {})}


_LOCAL_KEYS: dict[str, str] = {}
"""The local admin key of each ``raikoo up`` a test started, by URL: a user's CLI finds it
in the shared default data directory; a test's server has a data directory of its own."""


def key_headers(url: str) -> dict[str, str]:
    """Headers that authenticate a test's HTTP call to the ``raikoo up`` at ``url``."""
    return {"X-Api-Key": _LOCAL_KEYS[url]}


def _with_key(args: tuple[str, ...], env: Mapping[str, str] | None) -> dict[str, str]:
    extra = dict(env or {})
    servers = [value for flag, value in itertools.pairwise(args) if flag == "--server"]
    for url in [*servers, extra.get("RAIKOO_SERVER_URL", "")]:
        if url in _LOCAL_KEYS:
            extra.setdefault("RAIKOO_API_KEY", _LOCAL_KEYS[url])
    return extra


def raikoo(
    *args: str,
    timeout: float = 120,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "raikoo", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=timeout,
        env=cli_env(_with_key(args, env)),
        cwd=ROOT,
        check=False,
    )


@contextmanager
def raikoo_running(
    *args: str, env: Mapping[str, str] | None = None
) -> Iterator[subprocess.Popen[str]]:
    """A ``raikoo`` command still running, its stdout and stderr piped; killed if the test
    leaves it running."""
    process = subprocess.Popen(
        [sys.executable, "-m", "raikoo", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(_with_key(args, env)),
        cwd=ROOT,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def stderr_until(process: subprocess.Popen[str], text: str) -> str:
    """Read the process's stderr up to the first line holding ``text``; that line."""
    assert process.stderr is not None
    for line in process.stderr:
        if text in line:
            return line
    raise AssertionError(f"no line with {text!r} before the end of stderr")


@contextmanager
def raikoo_up(
    data_dir: Path, log: Path, env: Mapping[str, str] | None = None
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``raikoo up`` on a free port, ready to serve: its URL and its process."""
    port = free_port()
    with log.open("w") as sink:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "raikoo",
                "up",
                "--port",
                str(port),
                "--data-dir",
                str(data_dir),
            ],
            stdout=sink,
            stderr=sink,
            env=cli_env(env),
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                if httpx.get(f"{url}/readyz").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert server.poll() is None, f"raikoo up exited: {log.read_text()}"
            assert time.monotonic() < deadline, "raikoo up did not become ready"
            time.sleep(0.1)
        _LOCAL_KEYS[url] = local_admin_key(data_dir) or ""
        yield url, server
    finally:
        _LOCAL_KEYS.pop(url, None)
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            pytest.fail("raikoo up did not stop on SIGTERM")


@contextmanager
def raikoo_up_with_key(
    data_dir: Path, env: Mapping[str, str] | None = None
) -> Iterator[tuple[str, str]]:
    """``raikoo up`` on ``data_dir``: its URL and its local admin (owner) key."""
    with raikoo_up(data_dir, data_dir / "up.log", env) as (url, _):
        key = local_admin_key(data_dir)
        assert key, "raikoo up keeps its admin key in its data directory"
        yield url, key
