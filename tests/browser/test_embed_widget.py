"""The run widget (docs/embedding.md) in real Chromium against a real ``raikoo up`` started
here (web/tests/browser/embed.e2e.mjs): a page on another origin embeds <raikoo-run>, runs
its workflow through it and sees the outputs; the token cannot start another workflow; a
page of an origin the token does not list cannot frame the widget.

Needs what the console's browser tests need (tests/browser/test_console.py).
"""

from __future__ import annotations

from pathlib import Path

from tests._budget import WAIT_SECONDS
from tests.browser._console import browser_env, run_browser_script


def test_a_page_of_another_origin_runs_a_workflow_through_the_widget(
    raikoo_up: tuple[str, str], tmp_path: Path
) -> None:
    url, key = raikoo_up
    run_browser_script("embed.e2e.mjs", browser_env(url, key, tmp_path), WAIT_SECONDS * 5)
