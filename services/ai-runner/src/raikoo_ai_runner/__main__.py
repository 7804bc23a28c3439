"""``python -m raikoo_ai_runner``: the AI operation runner as its own process."""

from raikoo_ai_runner.app import build_ai_runner
from raikoo_ai_runner.settings import AiRunnerSettings
from raikoo_common.distributed import distributed_bus
from raikoo_common.runtime import run, serve


async def main() -> None:
    settings = AiRunnerSettings()
    bus = distributed_bus(settings, "ai-runner")
    build_ai_runner(settings, bus)
    await serve("ai-runner", settings, bus)


if __name__ == "__main__":
    run(main())
