"""Live, human-readable progress of a run on stderr."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.console import Console

_STYLE = {
    "ready": ("•", "dim"),
    "running": ("▶", "cyan"),
    "retrying": ("↻", "yellow"),
    "waiting": ("⏸", "magenta"),
    "succeeded": ("✓", "green"),
    "failed": ("✗", "red"),
    "skipped": ("–", "dim"),
    "cancelled": ("■", "yellow"),
}


_BODY_SHOWN = frozenset({"failed", "retrying"})


class Progress:
    def __init__(self, console: Console) -> None:
        self.console = console
        self._ready_at: dict[str, datetime] = {}

    def show(self, event: str, data: dict[str, Any]) -> None:
        at = datetime.fromisoformat(data["at"])
        if event == "run.state_changed":
            state = data["state"]
            style = {"succeeded": "bold green", "failed": "bold red"}.get(state, "bold")
            line = f"run {state}"
            if data.get("error"):
                line += f": {data['error']['message']}"
            self.console.print(line, style=style, highlight=False, markup=False)
            return
        key, state = data["op_key"], data["state"]
        if "[" in key and state not in _BODY_SHOWN:
            return  # a loop's body runs: thousands of them; only trouble is worth a line
        if state == "ready":
            self._ready_at[key] = at
        symbol, style = _STYLE.get(state, ("?", ""))
        line = f"  {symbol} {key} {state}"
        if data.get("attempt", 1) > 1:
            line += f" (attempt {data['attempt']})"
        if state in ("succeeded", "failed") and key in self._ready_at:
            line += f" in {(at - self._ready_at[key]).total_seconds() * 1000:.0f} ms"
        if data.get("error"):
            line += f" — [{data['error']['kind']}] {data['error']['message']}"
        self.console.print(line, style=style, highlight=False, markup=False)
