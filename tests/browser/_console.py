"""What the console's tests share: where it is, building it, ``raikoo up`` serving it, and
what a browser script is given."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
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


def missing(what: str) -> NoReturn:
    message = f"web console tests need {what}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def npm_command() -> str:
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        missing("Node.js 20+ and npm")
    if not (WEB / "node_modules").is_dir():
        missing("the console's packages: run `npm --prefix web ci`")
    return npm


def newest_source() -> float:
    sources = [
        WEB / "package-lock.json",
        WEB / "next.config.ts",
        *(WEB / "src").rglob("*"),
        *(WEB / "public").rglob("*"),
    ]
    return max(path.stat().st_mtime for path in sources if path.is_file())


@contextmanager
def raikoo_up_serving(
    console: Path,
    tmp_path: Path,
    settings: dict[str, str] | None = None,
    port: int | None = None,
) -> Iterator[tuple[str, str]]:
    """``raikoo up`` as its own process, serving the console; its URL and admin key."""
    port = port or free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAIKOO_")}
    env.update(RAIKOO_CONSOLE_DIR=str(console), PYTHONUNBUFFERED="1", **(settings or {}))
    log_path = tmp_path / "raikoo-up.log"
    command = [sys.executable, "-m", "raikoo", "up", "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, "--data-dir", str(tmp_path / "data")], stdout=log, stderr=log, env=env
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + WAIT_SECONDS
            while True:
                assert process.poll() is None, log_path.read_text()
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


def chromium() -> Path:
    if not CHROMIUM.is_file():
        missing(f"Chromium at {CHROMIUM} (apt-get install -y chromium)")
    return CHROMIUM


def browser_env(url: str, key: str, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "RAIKOO_URL": url,
        "RAIKOO_KEY": key,
        "CHROMIUM": str(chromium()),
        "STEP_TIMEOUT_MS": str(int(WAIT_SECONDS * 1000)),
        "SCREENSHOT": str(tmp_path / "failure.png"),
    }


def build_console(into: Path, api_url: str) -> Path:
    """The console built as a host other than the gateway serves it: against the gateway
    at ``api_url`` (``NEXT_PUBLIC_RAIKOO_API_URL``), in a copy of web/ under ``into`` (its
    packages hard-linked), so that web/out stays the embedded build. Its static files."""
    npm = npm_command()
    copy = into / "web"
    skip = shutil.ignore_patterns("node_modules", ".next", "out", "test-results")
    shutil.copytree(WEB, copy, ignore=skip)
    shutil.copytree(
        WEB / "node_modules", copy / "node_modules", copy_function=os.link, symlinks=True
    )
    built = subprocess.run(
        [npm, "--prefix", str(copy), "run", "build"],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        env={**os.environ, "NEXT_TELEMETRY_DISABLED": "1", "NEXT_PUBLIC_RAIKOO_API_URL": api_url},
        check=False,
    )
    assert built.returncode == 0, built.stdout[-4000:] + built.stderr[-4000:]
    return copy / "out"


def run_browser_script(script: str, env: dict[str, str], timeout: float) -> str:
    """Run ``web/tests/browser/<script>`` with node; it must pass every step. Its output."""
    node = shutil.which("node")
    assert node is not None, "npm_command() checked node"
    ran = subprocess.run(
        [node, str(WEB / "tests" / "browser" / script)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=WEB,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout[-4000:] + ran.stderr[-4000:]
    assert "every step passed" in ran.stdout, ran.stdout[-4000:]
    return ran.stdout
