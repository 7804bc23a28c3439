"""Start-up: how long a fresh process takes, wall clock and CPU, for the CLI and each service.

    uv run --frozen python bench/startup.py [--repeat 7] [--only TEXT] [--json PATH]

Every target is a fresh process, run `--repeat` times after one warm-up run (so the file
cache is warm, as on a machine in use); the figures are medians and minimums of the wall
time from spawn to exit and of the CPU time (user + system) the process and its children
spent. The commands run from the virtual environment directly, not through `uv run`, which
adds its own start-up. Prints a table (and the machine's load, which inflates wall times);
asserts nothing. See docs/benchmarks.md, "Start-up".

A target is anything with a name and a `run_once()` giving a Sample: a command that runs
to its end (`UntilExit`) today; a service measured until it is ready to serve fits the same
list.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from _stats import median

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
RAIKOO = str(Path(sys.executable).with_name("raikoo"))


@dataclass(frozen=True)
class Sample:
    wall_s: float
    cpu_s: float


class Target(Protocol):
    @property
    def name(self) -> str: ...

    def run_once(self) -> Sample: ...


@dataclass(frozen=True)
class UntilExit:
    """A command run to its end; it must exit 0."""

    name: str
    argv: tuple[str, ...]

    def run_once(self) -> Sample:
        started = time.perf_counter()
        child = subprocess.Popen(
            self.argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        assert child.stderr is not None
        errors = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        child.stderr.close()
        if child.returncode != 0:
            raise RuntimeError(f"{self.name} exited {child.returncode}: {errors.decode()[-2000:]}")
        # wait4 counts the process and the children it waited for.
        return Sample(wall, usage.ru_utime + usage.ru_stime)


SERVICE_APPS = {
    "gateway": "raikoo_gateway.app",
    "scheduler": "raikoo_scheduler.app",
    "op-runner": "raikoo_op_runner.app",
    "ai-runner": "raikoo_ai_runner.app",
    "secrets-proxy": "raikoo_secrets_proxy.app",
}

TARGETS: list[Target] = [
    UntilExit("raikoo --help", (RAIKOO, "--help")),
    UntilExit(
        "raikoo validate examples/quickstart.yaml",
        (RAIKOO, "validate", "examples/quickstart.yaml"),
    ),
    *(
        UntilExit(f"import {module} ({service})", (PYTHON, "-c", f"import {module}"))
        for service, module in SERVICE_APPS.items()
    ),
]


@dataclass(frozen=True)
class Figures:
    name: str
    runs: int
    wall_median_s: float
    wall_min_s: float
    cpu_median_s: float
    cpu_min_s: float


def measure(target: Target, repeat: int) -> Figures:
    target.run_once()  # warm-up: the file cache, .pyc files
    samples = [target.run_once() for _ in range(repeat)]
    walls = [sample.wall_s for sample in samples]
    cpus = [sample.cpu_s for sample in samples]
    return Figures(target.name, repeat, median(walls), min(walls), median(cpus), min(cpus))


def report(figures: Sequence[Figures]) -> str:
    width = max(len(f.name) for f in figures)
    lines = [
        f"{'target':<{width}}  wall median (min)  CPU median (min)",
        f"{'-' * width}  -----------------  ----------------",
    ]
    lines += [
        f"{f.name:<{width}}  {f.wall_median_s:6.2f} s ({f.wall_min_s:4.2f})"
        f"   {f.cpu_median_s:6.2f} s ({f.cpu_min_s:4.2f})"
        for f in figures
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="measured runs per target")
    parser.add_argument("--only", help="only the targets whose name contains this text")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    chosen = [t for t in TARGETS if args.only is None or args.only in t.name]
    load_before = os.getloadavg()
    figures = []
    for target in chosen:
        figures.append(measure(target, args.repeat))
        print(f"measured {target.name}", file=sys.stderr)
    load_after = os.getloadavg()
    machine = (
        f"{platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {load_before[0]:.2f} → {load_after[0]:.2f}"
    )
    print(machine)
    print(report(figures))
    if args.json:
        document = {"machine": machine, "figures": [asdict(f) for f in figures]}
        args.json.write_text(json.dumps(document, indent=2) + "\n")


if __name__ == "__main__":
    main()
