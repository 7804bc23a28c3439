"""Fixtures of the console's tests: the console built once, ``raikoo up`` serving it."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser._console import (
    BUILD_TIMEOUT,
    OUT,
    WEB,
    newest_source,
    npm_command,
    raikoo_up_serving,
)


@pytest.fixture(scope="session")
def console_build() -> Path:
    npm = npm_command()
    index = OUT / "index.html"
    if not index.is_file() or index.stat().st_mtime < newest_source():
        built = subprocess.run(
            [npm, "--prefix", str(WEB), "run", "build"],
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT,
            env={**os.environ, "NEXT_TELEMETRY_DISABLED": "1"},
            check=False,
        )
        assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    return OUT


@pytest.fixture
def raikoo_up(console_build: Path, tmp_path: Path) -> Iterator[tuple[str, str]]:
    with raikoo_up_serving(console_build, tmp_path) as served:
        yield served
