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

import subprocess
from pathlib import Path

from tests._budget import WAIT_SECONDS
from tests.browser._console import WEB, browser_env, npm_command, run_browser_script


def test_console_unit_tests_pass() -> None:
    npm = npm_command()
    ran = subprocess.run(
        [npm, "--prefix", str(WEB), "test"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout[-6000:] + ran.stderr[-2000:]


def test_console_api_types_match_the_gateway() -> None:
    npm = npm_command()
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
    url, key = raikoo_up
    env = browser_env(url, key, tmp_path)
    run_browser_script("console.e2e.mjs", env, WAIT_SECONDS * 5)
