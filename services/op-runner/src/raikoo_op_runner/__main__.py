"""``python -m raikoo_op_runner``: the programmatic operation runner as its own process."""

from raikoo_common.distributed import distributed_bus, require_shared_blob_store
from raikoo_common.runtime import run, serve
from raikoo_common.secrets import secrets_client
from raikoo_common.storage import artifacts_from
from raikoo_op_runner.app import build_op_runner
from raikoo_op_runner.settings import OpRunnerSettings


async def main() -> None:
    settings = OpRunnerSettings()
    bus = distributed_bus(settings, "op-runner")
    require_shared_blob_store(settings, "op-runner")
    artifacts = artifacts_from(settings)
    secrets = secrets_client(settings)
    build_op_runner(settings, bus, artifacts, secrets)
    try:
        await serve("op-runner", settings, bus)
    finally:
        await artifacts.store.close()
        if secrets is not None:
            await secrets.close()


if __name__ == "__main__":
    run(main())
