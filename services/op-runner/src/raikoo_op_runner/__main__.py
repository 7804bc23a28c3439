"""``python -m raikoo_op_runner``: the programmatic operation runner as its own process."""

from raikoo_common.distributed import distributed_bus
from raikoo_common.runtime import run, serve
from raikoo_op_runner.app import build_op_runner
from raikoo_op_runner.settings import OpRunnerSettings


async def main() -> None:
    settings = OpRunnerSettings()
    bus = distributed_bus(settings, "op-runner")
    build_op_runner(settings, bus)
    await serve("op-runner", settings, bus)


if __name__ == "__main__":
    run(main())
