"""The worker processes this test process started, read from ``/proc``."""

from __future__ import annotations

import asyncio
import os

WORKER = b"raikoo_op_runner.workers.worker"


def worker_cpu_ticks() -> dict[int, int]:
    """CPU time (clock ticks) of each live worker process this process started, by pid."""
    ticks = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                command = cmdline.read()
        except OSError:
            continue  # ended meanwhile
        if fields[0] != "Z" and int(fields[1]) == os.getpid() and WORKER in command:
            ticks[int(entry)] = int(fields[11]) + int(fields[12])  # utime + stime
    return ticks


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has stopped
    except (FileNotFoundError, ProcessLookupError):
        return False  # gone, or reaped between the open and the read


async def gone(pid: int) -> bool:
    for _ in range(200):  # a killed process is gone at once; reaping may take a moment
        if not alive(pid):
            return True
        await asyncio.sleep(0.01)
    return False
