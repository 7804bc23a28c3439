"""``python -m raikoo_ai_runner``: the AI operation runner as its own process."""

from raikoo_ai_runner.app import build_ai_runner
from raikoo_ai_runner.settings import AiRunnerSettings
from raikoo_common.distributed import distributed_bus, require_shared_blob_store
from raikoo_common.runtime import run, serve
from raikoo_common.secrets import secrets_client
from raikoo_common.storage import artifacts_from


async def main() -> None:
    settings = AiRunnerSettings()
    bus = distributed_bus(settings, "ai-runner")
    require_shared_blob_store(settings, "ai-runner")
    artifacts = artifacts_from(settings)
    secrets = secrets_client(settings)
    build_ai_runner(settings, bus, artifacts, secrets)
    try:
        await serve("ai-runner", settings, bus)
    finally:
        await artifacts.store.close()
        if secrets is not None:
            await secrets.close()


if __name__ == "__main__":
    run(main())
