"""The web console (web/): its unit tests (vitest), its API types against the gateway's
OpenAPI document, and the console in real Chromium against a real ``raikoo up`` started
here (web/tests/browser/console.e2e.mjs): designing a workflow by drag and drop, a problem
pinned on its node, saving, running it with inputs and watching every node turn green live,
an operation's output, approving a waiting run after a reload mid-run.

Needs Node (web/node_modules: ``npm --prefix web ci``) and Debian's Chromium. Without them
the tests skip, saying what is missing; on CI (``CI=true``) that is a failure. The console
is built first when web/out is missing or older than its sources.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import httpx
import pytest

from tests._budget import WAIT_SECONDS
from tests.e2e._stack import free_port

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
OUT = WEB / "out"
CHROMIUM = Path(os.environ.get("RAIKOO_TEST_CHROMIUM", "/usr/bin/chromium"))
BUILD_TIMEOUT = 1200


def _missing(what: str) -> NoReturn:
    message = f"web console tests need {what}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        _missing("Node.js 20+ and npm")
    if not (WEB / "node_modules").is_dir():
        _missing("the console's packages: run `npm --prefix web ci`")
    return npm


def _newest_source() -> float:
    sources = [WEB / "package-lock.json", WEB / "next.config.ts", *(WEB / "src").rglob("*")]
    return max(path.stat().st_mtime for path in sources if path.is_file())


@pytest.fixture(scope="module")
def console_build() -> Path:
    npm = _npm()
    index = OUT / "index.html"
    if not index.is_file() or index.stat().st_mtime < _newest_source():
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
    """``raikoo up`` as its own process, serving the console; its URL and admin key."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAIKOO_")}
    env.update(RAIKOO_CONSOLE_DIR=str(console_build), PYTHONUNBUFFERED="1")
    log = (tmp_path / "raikoo-up.log").open("wb")
    command = [sys.executable, "-m", "raikoo", "up", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--data-dir", str(tmp_path / "data")], stdout=log, stderr=log, env=env
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            assert process.poll() is None, (tmp_path / "raikoo-up.log").read_text()
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "raikoo up did not become ready"
            time.sleep(0.2)
        key = (tmp_path / "data" / "local-admin.key").read_text().strip()
        yield url, key
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_console_unit_tests_pass() -> None:
    npm = _npm()
    ran = subprocess.run(
        [npm, "--prefix", str(WEB), "test"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout[-6000:] + ran.stderr[-2000:]


def test_console_api_types_match_the_gateway() -> None:
    npm = _npm()
    checked = subprocess.run(
        [npm, "--prefix", str(WEB), "run", "api:check"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr[-2000:]


def test_console_designs_runs_and_watches_a_workflow_in_chromium(
    raikoo_up: tuple[str, str], tmp_path: Path
) -> None:
    if not CHROMIUM.is_file():
        _missing(f"Chromium at {CHROMIUM} (apt-get install -y chromium)")
    url, key = raikoo_up
    node = shutil.which("node")
    assert node is not None
    ran = subprocess.run(
        [node, str(WEB / "tests" / "browser" / "console.e2e.mjs")],
        capture_output=True,
        text=True,
        timeout=WAIT_SECONDS * 5,
        env={
            **os.environ,
            "RAIKOO_URL": url,
            "RAIKOO_KEY": key,
            "CHROMIUM": str(CHROMIUM),
            "STEP_TIMEOUT_MS": str(int(WAIT_SECONDS * 1000)),
            "SCREENSHOT": str(tmp_path / "failure.png"),
        },
        cwd=WEB,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout[-4000:] + ran.stderr[-4000:]
    assert "every step passed" in ran.stdout
