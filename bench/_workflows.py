"""Workflow definitions the scenarios run: generated, so their sizes are parameters."""

from __future__ import annotations

from typing import Any


def chain(steps: int, name: str | None = None) -> dict[str, Any]:
    """``steps`` noop operations, each needing the one before it."""
    operations: dict[str, Any] = {}
    for i in range(steps):
        op: dict[str, Any] = {"uses": "noop"}
        if i:
            op["needs"] = [f"s{i - 1:04d}"]
        operations[f"s{i:04d}"] = op
    return {
        "apiVersion": "raikoo/v1",
        "kind": "Workflow",
        "name": name or f"bench-chain-{steps}",
        "operations": operations,
    }


def fan_out(width: int, max_parallel: int, name: str | None = None) -> dict[str, Any]:
    """``width`` independent noop operations and one ``join`` noop that needs them all."""
    keys = [f"f{i:05d}" for i in range(width)]
    operations: dict[str, Any] = {key: {"uses": "noop"} for key in keys}
    operations["join"] = {"uses": "noop", "needs": keys}
    return {
        "apiVersion": "raikoo/v1",
        "kind": "Workflow",
        "name": name or f"bench-fanout-{width}-{max_parallel}",
        "settings": {"max_parallel": max_parallel},
        "operations": operations,
    }
