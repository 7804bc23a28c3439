"""The tests' fake OpenAI-compatible server as its own process, for the AI benchmarks:
``python bench/_fake_openai_server.py PORT DELAY`` answers every chat completion after
DELAY seconds."""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.unit.ai._fake_openai import Answer, FakeOpenAI, serving


def main() -> None:
    port, delay = int(sys.argv[1]), float(sys.argv[2])
    fake = FakeOpenAI(default=Answer("a short answer from the fake model", delay=delay))
    fake.requests = _Forgetful()
    with serving(fake.app(), port):
        while True:
            time.sleep(3600)


class _Forgetful(list):  # type: ignore[type-arg]
    """Keeps no requests: a long benchmark would otherwise grow the server's memory."""

    def append(self, item: object) -> None:
        return None


if __name__ == "__main__":
    main()
