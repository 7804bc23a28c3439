"""Embedded Raikoo (EmbeddedRaikoo) as its own process, so the client is not in its loop.

Prints the API's base URL on stdout once it listens; stops on SIGTERM. With
``--profile PATH``, SIGUSR1 starts a profiler and SIGUSR2 stops it and writes PATH
(cProfile stats, or pyinstrument text with ``--profiler pyinstrument``).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from pathlib import Path
from typing import Any

from raikoo.embedded import EmbeddedRaikoo
from raikoo_common.logging import configure_logging
from raikoo_common.runtime import until_signalled


class _Profiling:
    def __init__(self, path: Path, kind: str) -> None:
        self.path = path
        self.kind = kind
        self.profiler: Any = None

    def start(self) -> None:
        if self.kind == "pyinstrument":
            from pyinstrument import Profiler

            self.profiler = Profiler(interval=0.0005, async_mode="disabled")
        else:
            import cProfile

            self.profiler = cProfile.Profile()
        self.profiler.start() if self.kind == "pyinstrument" else self.profiler.enable()

    def stop(self) -> None:
        if self.profiler is None:
            return
        if self.kind == "pyinstrument":
            self.profiler.stop()
            self.path.write_text(
                self.profiler.output_text(unicode=False, color=False, show_all=False)
            )
            self.path.with_suffix(".html").write_text(self.profiler.output_html())
        else:
            self.profiler.disable()
            self.profiler.dump_stats(str(self.path))
        self.profiler = None
        print("profile-written", flush=True)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--profiler", choices=["cprofile", "pyinstrument"], default="cprofile")
    args = parser.parse_args()
    configure_logging("warning")
    raikoo = EmbeddedRaikoo(data_dir=args.data_dir, host="127.0.0.1", port=args.port)
    url = await raikoo.start()
    if args.profile is not None:
        profiling = _Profiling(args.profile, args.profiler)
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGUSR1, profiling.start)
        loop.add_signal_handler(signal.SIGUSR2, profiling.stop)
    print(url, flush=True)
    try:
        await until_signalled()
    finally:
        await raikoo.stop()


if __name__ == "__main__":
    asyncio.run(main())
    sys.exit(0)
