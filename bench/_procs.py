"""Child processes of a benchmark: start, wait until they answer, sample their memory, stop."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import httpx
import psutil

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Child:
    """One subprocess with its output in a log file (read back when it fails)."""

    def __init__(
        self,
        name: str,
        args: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        log_dir: Path,
        stdout: int | IO[Any] | None = None,
    ) -> None:
        self.name = name
        self.log_path = log_dir / f"{name}.log"
        self._log = self.log_path.open("wb")
        self.popen = subprocess.Popen(
            list(args),
            env={**os.environ, **(env or {})},
            cwd=cwd,
            stdout=stdout if stdout is not None else self._log,
            stderr=self._log,
        )

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def log_tail(self, lines: int = 30) -> str:
        if not self._log.closed:
            self._log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def stop(self, timeout: float = 30.0, sig: int = signal.SIGTERM) -> int | None:
        if self.alive():
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(10)
        self._log.close()
        return self.popen.returncode


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def wait_http(url: str, child: Child | None = None, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | int | None = None
    while time.monotonic() < deadline:
        if child is not None and not child.alive():
            raise RuntimeError(f"{child.name} exited early:\n{child.log_tail()}")
        try:
            response = httpx.get(url, timeout=2.0)
            if response.status_code == 200:
                return
            last = response.status_code
        except httpx.HTTPError as exc:
            last = exc
        time.sleep(0.1)
    tail = f"\n{child.log_tail()}" if child is not None else ""
    raise TimeoutError(f"{url} did not answer 200 within {timeout}s (last: {last!r}){tail}")


class RssSampler:
    """Samples the resident set size of named processes in a thread (every 50 ms),
    and reads their CPU time (user + system) at each ``take()``.

    ``take()`` returns the peaks since the previous ``take()``; ``overall`` keeps the peaks
    of the whole life of the sampler; ``cpu_seconds()`` the CPU time since the previous call.
    """

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self._procs: dict[str, psutil.Process] = {}
        self._window: dict[str, int] = {}
        self._cpu: dict[str, float] = {}
        self._with_children: set[str] = set()
        self.overall: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="rss-sampler", daemon=True)

    def watch(self, name: str, pid: int, *, children: bool = False) -> None:
        """``children``: add those of the process (finding them scans /proc: costly)."""
        with self._lock:
            self._procs[name] = psutil.Process(pid)
            if children:
                self._with_children.add(name)
            self._cpu[name] = _cpu(self._procs[name], children)

    def cpu_seconds(self) -> dict[str, float]:
        out = {}
        with self._lock:
            for name, proc in self._procs.items():
                now = _cpu(proc, name in self._with_children)
                out[name] = now - self._cpu[name]
                self._cpu[name] = now
        return out

    def start(self) -> RssSampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def take(self) -> dict[str, float]:
        self._sample()
        with self._lock:
            window, self._window = self._window, {}
        return {name: rss / 2**20 for name, rss in window.items()}

    def overall_mib(self) -> dict[str, float]:
        with self._lock:
            return {name: rss / 2**20 for name, rss in self.overall.items()}

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        with self._lock:
            for name, proc in self._procs.items():
                try:
                    rss = proc.memory_info().rss
                    if name in self._with_children:
                        for child in proc.children(recursive=True):
                            rss += child.memory_info().rss
                except psutil.Error:
                    continue
                self._window[name] = max(self._window.get(name, 0), rss)
                self.overall[name] = max(self.overall.get(name, 0), rss)


def _cpu(proc: psutil.Process, children: bool) -> float:
    try:
        times = proc.cpu_times()
        total = times.user + times.system
        for child in proc.children(recursive=True) if children else ():
            child_times = child.cpu_times()
            total += child_times.user + child_times.system
    except psutil.Error:
        return 0.0
    return float(total)
