"""``python -m raikoo_op_runner``: the programmatic operation runner as its own process."""

from raikoo_common.event_loop import pause_collection

pause_collection()  # before the imports below: they are most of a start-up

from raikoo_common.runner.process import serve_runner
from raikoo_common.runtime import run
from raikoo_op_runner.app import build_op_runner
from raikoo_op_runner.settings import OpRunnerSettings
from raikoo_op_runner.workers import close_shared_pool


async def main() -> None:
    try:
        await serve_runner("op-runner", OpRunnerSettings(), build_op_runner)
    finally:
        await close_shared_pool()


if __name__ == "__main__":
    run(main())
