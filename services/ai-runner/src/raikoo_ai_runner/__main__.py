"""``python -m raikoo_ai_runner``: the AI operation runner as its own process."""

from raikoo_ai_runner.app import build_ai_runner
from raikoo_ai_runner.settings import AiRunnerSettings
from raikoo_common.runner.process import serve_runner
from raikoo_common.runtime import run


async def main() -> None:
    await serve_runner("ai-runner", AiRunnerSettings(), build_ai_runner)


if __name__ == "__main__":
    run(main())
