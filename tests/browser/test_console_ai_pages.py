"""The console's AI pages in real Chromium (web/tests/browser/console.ai.e2e.mjs) against a
``raikoo up`` started here with no model provider of its own: the provider connection the
test makes through the AI providers page, pointed at the fake OpenAI-compatible server,
is the only way to a model. A tool and a persona made through their pages (a bad
connection and a bad persona refused with the API's 422 shown), then a chat with the
persona: its answer streamed as it is written, a second answer with the thread so far,
a message sent too soon refused (409), and no serious accessibility violations.

Needs what test_console.py needs (Node packages, Chromium, a built console)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests._budget import WAIT_SECONDS
from tests.browser._console import browser_env, raikoo_up_serving, run_browser_script
from tests.unit.ai._fake_openai import Answer, FakeOpenAI, fake_openai

QUESTION = "Will it rain tomorrow morning?"
ANSWER = (
    "Rain is likely in the morning, clearing by noon, with a light westerly wind and "
    "temperatures rising from eight to fourteen degrees through the afternoon."
)
SECOND = "The afternoon stays dry and mild."
# About 50 chunks of 3 characters, 60 ms apart, after a second's wait that lets the page
# connect first; the third answer waits long enough for a fourth message to come too soon.
SCRIPT = (Answer(ANSWER, delay=1.0, pace=0.06), Answer(SECOND), Answer("Third.", delay=8.0))


@pytest.fixture
def model() -> Iterator[FakeOpenAI]:
    with fake_openai(*SCRIPT, default=Answer("Anything else?")) as fake:
        yield fake


@pytest.fixture
def raikoo_up_without_provider(
    console_build: Path, tmp_path: Path, model: FakeOpenAI
) -> Iterator[tuple[str, str]]:
    settings = {"RAIKOO_AI_ALLOW_HOSTS": json.dumps(["127.0.0.1"])}
    with raikoo_up_serving(console_build, tmp_path, settings) as served:
        yield served


def test_console_makes_ai_objects_and_chats_with_a_persona(
    raikoo_up_without_provider: tuple[str, str], model: FakeOpenAI, tmp_path: Path
) -> None:
    url, key = raikoo_up_without_provider
    env = {
        **browser_env(url, key, tmp_path),
        "MODEL_URL": model.base_url,
        "ANSWER": ANSWER,
        "SECOND": SECOND,
    }
    run_browser_script("console.ai.e2e.mjs", env, timeout=WAIT_SECONDS * 4)

    chats = model.chats()
    assert len(chats) >= 2
    first, second = chats[0], chats[1]
    assert first["model"] == "fake-model"  # the connection's default model
    assert first["temperature"] == 0.2  # the persona's
    assert first["messages"][0] == {
        "role": "system",
        "content": "You forecast the weather, briefly.",
    }
    # The second answer was asked with the thread so far.
    said = [(message["role"], message["content"]) for message in second["messages"]]
    assert ("user", QUESTION) in said
    assert ("assistant", ANSWER) in said
    assert said[-1] == ("user", "And in the afternoon?")
    # The connection's key is the secret the reference named, never the reference.
    calls = [seen for seen in model.requests if seen.path.endswith("/chat/completions")]
    assert calls[0].headers.get("authorization") == "Bearer sk-fake-model-key"
