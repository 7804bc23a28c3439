"""The console's run page with AI operations and artifacts, its organization page and loop
groups, in real Chromium (web/tests/browser/console.runs.e2e.mjs) against a ``raikoo up``
started here whose AI provider is the fake OpenAI-compatible server: an answer streamed
slowly enough to be seen as it is written, then its stored text and usage; an output over
the inline limit downloaded as an artifact with the console's API key; the organization
renamed (and refused to a viewer); a ``foreach`` body drawn inside its loop's group.

Needs what test_console.py needs (Node packages, Chromium, a built console)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests._budget import WAIT_SECONDS
from tests.browser._console import WEB, browser_env, raikoo_up_serving
from tests.unit.ai._fake_openai import Answer, FakeOpenAI, fake_openai

ANSWER = (
    "Rain is likely in the morning, clearing by noon, with a light westerly wind and "
    "temperatures rising from eight to fourteen degrees through the afternoon."
)
# About 50 chunks of 3 characters, 60 ms apart: three seconds of writing to be seen live,
# after a second's wait that lets the page connect first.
SLOW = Answer(ANSWER, delay=1.0, pace=0.06)


@pytest.fixture
def model() -> Iterator[FakeOpenAI]:
    with fake_openai(SLOW, default=Answer("Anything else?")) as fake:
        yield fake


@pytest.fixture
def raikoo_up_with_model(
    console_build: Path, tmp_path: Path, model: FakeOpenAI
) -> Iterator[tuple[str, str]]:
    settings = {
        "RAIKOO_AI_BASE_URL": model.base_url,
        "RAIKOO_AI_MODEL": "fake-model",
        "RAIKOO_AI_ALLOW_HOSTS": json.dumps(["127.0.0.1"]),
    }
    with raikoo_up_serving(console_build, tmp_path, settings) as served:
        yield served


def test_console_shows_ai_answers_artifacts_settings_and_loop_groups(
    raikoo_up_with_model: tuple[str, str], model: FakeOpenAI, tmp_path: Path
) -> None:
    url, key = raikoo_up_with_model
    env = {**browser_env(url, key, tmp_path), "ANSWER": ANSWER}
    node = shutil.which("node")
    assert node is not None
    ran = subprocess.run(
        [node, str(WEB / "tests" / "browser" / "console.runs.e2e.mjs")],
        capture_output=True,
        text=True,
        timeout=WAIT_SECONDS * 4,
        env=env,
        cwd=WEB,
        check=False,
    )
    assert ran.returncode == 0, ran.stdout[-4000:] + ran.stderr[-4000:]
    assert "every step passed" in ran.stdout
    assert len(model.chats()) == 1  # the AI operation asked the model once
