"""What one render may spend: steps, CPU time, memory, and the size of each value it builds.

Templates of every organization run in shared processes (the scheduler renders ``with``,
``when`` and ``outputs`` in its event loop), so every render draws on a budget, and the
sandbox charges it where the work happens: a loop iteration, a call or a filter spends
steps; every value an operator, filter or method builds is measured, and one whose size
is set by an argument (``ljust(n)``, ``batch(n)``, a format width…) is estimated *before*
it is built. The clock is read every few steps and after any large piece of work.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import Any

from jinja2.exceptions import SecurityError


@dataclass(frozen=True, slots=True)
class RenderLimits:
    """The bounds of one render (one ``render_value`` call: a value and all its fields)."""

    max_steps: int = 1_000_000
    """Loop iterations, calls and filter applications (a call costs ``CALL_STEPS``)."""
    max_seconds: float = 2.0
    """CPU time of the render."""
    max_size: int = 10_000_000
    """Characters of one string, items of one list or mapping, the render's output."""
    max_memory: int = 256 * 2**20
    """Bytes of all the values the render builds, estimated (see ``footprint``)."""
    max_int_bits: int = 10_000
    """Bits of one integer (about 3,000 digits)."""


SCHEDULER_LIMITS = RenderLimits()
"""The scheduler's own expressions (``with``, ``when``, ``outputs``), rendered in-process."""

CALL_STEPS = 10
"""A call (a macro especially) costs about ten loop iterations."""
CLOCK_EVERY = 8
"""Budget events between two reads of the clock (the wall clock, which costs 50 ns; the
thread's CPU clock, a microsecond, only once as much wall time as the limit has passed)."""
NODES_PER_STEP = 64
"""Nodes of a value walked (to write it as text or JSON) for one step."""
LARGE = 65_536
"""A value at least this large reads the clock at once: work on it may take milliseconds."""
ITEM_BYTES = 56
"""What one item of a built list is counted as: its pointer and a small object of its own."""


SIZED = (str, list, tuple, dict, set, frozenset, bytes)


class BoundExceeded(SecurityError):
    """A render went past one of its limits; ``bound`` names which, ``limit`` its value."""

    def __init__(self, bound: str, limit: int | float, message: str) -> None:
        super().__init__(message)
        self.bound = bound
        self.limit = limit


class RenderBudget:
    __slots__ = (
        "_cpu_deadline",
        "_memory_left",
        "_nodes",
        "_steps_left",
        "_ticks",
        "_wall_deadline",
        "limits",
    )

    def __init__(self, limits: RenderLimits) -> None:
        self.limits = limits
        self._steps_left = limits.max_steps
        self._memory_left = limits.max_memory
        self._ticks = CLOCK_EVERY
        self._nodes = NODES_PER_STEP
        allowed = int(limits.max_seconds * 1e9)
        self._cpu_deadline = time.thread_time_ns() + allowed
        self._wall_deadline = time.perf_counter_ns() + allowed

    def spend(self, steps: int = 1) -> None:
        self._steps_left -= steps
        if self._steps_left < 0:
            raise BoundExceeded(
                "steps",
                self.limits.max_steps,
                f"the template ran more than {self.limits.max_steps:,} steps "
                "(loop iterations, calls, filters and items visited)",
            )
        self._ticks -= 1
        if self._ticks <= 0:
            self.check_clock()

    def tick(self) -> None:
        """One node of a value walked (written as text or JSON, converted): a step per
        ``NODES_PER_STEP``."""
        self._nodes -= 1
        if self._nodes <= 0:
            self._nodes = NODES_PER_STEP
            self.spend()

    def visit(self, nodes: int) -> None:
        """``nodes`` nodes of a value are about to be walked: their steps, and the clock."""
        self.spend(nodes // NODES_PER_STEP)
        self.check_clock()

    def check_clock(self) -> None:
        # The render's CPU time cannot have passed its limit before as much wall time has:
        # the cheap wall clock is read each time, the thread's CPU clock only after that.
        self._ticks = CLOCK_EVERY
        if time.perf_counter_ns() < self._wall_deadline:
            return
        cpu_left = self._cpu_deadline - time.thread_time_ns()
        if cpu_left < 0:
            seconds = self.limits.max_seconds
            raise BoundExceeded(
                "time", seconds, f"the template ran for more than {seconds:g} s of CPU time"
            )
        self._wall_deadline = time.perf_counter_ns() + cpu_left

    def expect(self, size: int, kind: str, what: str) -> None:
        """Refuse, before building it, a value estimated at ``size`` (items or characters),
        for its size or for the memory it would take."""
        if size > self.limits.max_size:
            raise too_large(kind, self.limits.max_size, what)
        if size * (1 if kind == "string" else 8 + ITEM_BYTES) > self._memory_left:
            raise self._out_of_memory(what)

    def charge(self, value: Any, what: str) -> None:
        """Measure a value just built: its size, its integer width, the memory it takes."""
        kind = type(value)
        if kind is int:
            if value.bit_length() > self.limits.max_int_bits:
                raise too_wide(self.limits.max_int_bits, what)
            return
        if kind is str or kind is list or kind is dict or kind is tuple or isinstance(value, SIZED):
            size = len(value)
        elif isinstance(value, int):
            if value.bit_length() > self.limits.max_int_bits:
                raise too_wide(self.limits.max_int_bits, what)
            return
        else:
            return
        if size > self.limits.max_size:
            raise too_large(_kind_of(value), self.limits.max_size, what)
        self._memory_left -= footprint(value)
        if self._memory_left < 0:
            raise self._out_of_memory(what)
        self._ticks -= 1
        if size >= LARGE or self._ticks <= 0:
            self.check_clock()

    def charge_bytes(self, amount: int, what: str) -> None:
        """Count memory a piece of work will take that no single value shows (parsing)."""
        self._memory_left -= amount
        if self._memory_left < 0:
            raise self._out_of_memory(what)

    def _out_of_memory(self, what: str) -> BoundExceeded:
        mebibytes = self.limits.max_memory / 2**20
        return BoundExceeded(
            "memory",
            self.limits.max_memory,
            f"the template built more than {mebibytes:,.0f} MiB of values ({what})",
        )

    def touch(self, size: int) -> None:
        """Work on an input of ``size`` was done: read the clock if it was a large one."""
        self._ticks -= 1
        if size >= LARGE or self._ticks <= 0:
            self.check_clock()


def footprint(value: Any) -> int:
    """Bytes a built value is counted as: its own size, plus ``ITEM_BYTES`` per item of a
    container (its items may be new objects; shared ones are counted too, deliberately)."""
    if isinstance(value, dict):
        return sys.getsizeof(value) + 2 * ITEM_BYTES * len(value)
    if isinstance(value, list | tuple | set | frozenset):
        return sys.getsizeof(value) + ITEM_BYTES * len(value)
    return sys.getsizeof(value)


def too_large(kind: str, limit: int, what: str) -> BoundExceeded:
    unit = "characters" if kind == "string" else "items"
    return BoundExceeded(
        "size", limit, f"the template built {_article(kind)} of more than {limit:,} {unit} ({what})"
    )


def too_wide(limit: int, what: str) -> BoundExceeded:
    return BoundExceeded(
        "integer", limit, f"the template built an integer of more than {limit:,} bits ({what})"
    )


def _kind_of(value: Any) -> str:
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "mapping"
    return "bytes" if isinstance(value, bytes) else "list"


def _article(kind: str) -> str:
    return kind if kind == "bytes" else f"a {kind}"


_current: ContextVar[RenderBudget | None] = ContextVar("render_budget", default=None)


@contextmanager
def render_budget(limits: RenderLimits = SCHEDULER_LIMITS) -> Iterator[RenderBudget]:
    """Everything rendered inside draws on one new budget with these limits."""
    budget = RenderBudget(limits)
    token = enter_budget(budget)
    try:
        yield budget
    finally:
        leave_budget(token)


def enter_budget(budget: RenderBudget) -> Token[RenderBudget | None]:
    return _current.set(budget)


def leave_budget(token: Token[RenderBudget | None]) -> None:
    _current.reset(token)


def budget() -> RenderBudget:
    """The budget of the render in progress. Outside any render (a filter called directly
    by code, not by a template) a fresh one with the scheduler's limits, for that call:
    work of many steps takes its budget once, when it starts."""
    current = _current.get()
    return RenderBudget(SCHEDULER_LIMITS) if current is None else current


def spend(steps: int = 1) -> None:
    budget().spend(steps)


def charge(value: Any, what: str) -> Any:
    budget().charge(value, what)
    return value


def limits() -> RenderLimits:
    return budget().limits
