"""Run a service module (``python -m``) under a profiler switched by signals.

    python bench/_profiled_service.py raikoo_scheduler OUT [cprofile|pyinstrument]

SIGUSR1 starts profiling the main thread (the event loop), SIGUSR2 stops and writes OUT
(cProfile stats, or pyinstrument's text report).
"""

from __future__ import annotations

import cProfile
import runpy
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

module, out = sys.argv[1], Path(sys.argv[2])
kind = sys.argv[3] if len(sys.argv) > 3 else "cprofile"
active: dict[str, Any] = {}


def _start(_signum: int, _frame: FrameType | None) -> None:
    if kind == "pyinstrument":
        from pyinstrument import Profiler

        active["profiler"] = Profiler(interval=0.0005, async_mode="disabled")
        active["profiler"].start()
    else:
        active["profiler"] = cProfile.Profile()
        active["profiler"].enable()


def _stop(_signum: int, _frame: FrameType | None) -> None:
    profiler = active.pop("profiler", None)
    if profiler is None:
        return
    if kind == "pyinstrument":
        profiler.stop()
        out.write_text(profiler.output_text(unicode=False, color=False))
    else:
        profiler.disable()
        profiler.dump_stats(str(out))


signal.signal(signal.SIGUSR1, _start)
signal.signal(signal.SIGUSR2, _stop)
sys.argv = [module]
runpy.run_module(module, run_name="__main__", alter_sys=True)
