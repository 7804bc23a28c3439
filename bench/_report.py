"""Turn the results dictionary into the printed tables (also used to re-print a saved JSON)."""

from __future__ import annotations

import math
from typing import Any

from _stats import ratio

# (scenario key, figure key, label, unit, higher is better)
FIGURES = (
    ("chain", "step_p50_ms", "(a) chain: per-step p50", "ms", False),
    ("chain", "step_p99_ms", "(a) chain: per-step p99", "ms", False),
    ("fan_out", "ops_per_s", "(b) fan-out: ops/s", "ops/s", True),
    ("concurrent", "runs_per_s", "(c) concurrent runs: runs/s", "runs/s", True),
    ("concurrent", "latency_p95_ms", "(c) concurrent runs: p95 latency", "ms", False),
)
CELERY_KEYS = {"ops_per_s": "tasks_per_s"}
# The targets: (mode, figure) -> (limit, higher is better, must beat Celery)
TARGETS = {
    ("embedded", "step_p50_ms"): (1.0, False, False),
    ("embedded", "ops_per_s"): (2000.0, True, False),
    ("distributed", "step_p50_ms"): (5.0, False, True),
    ("distributed", "ops_per_s"): (500.0, True, True),
}


def _num(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}" if abs(value) >= 1 else f"{value:.{digits + 1}f}"


def _floor(results: dict[str, Any], figure: str) -> float | None:
    # Raikoo's work queues are classic queues (docs/benchmarks.md, item 4 of "Where the
    # distributed time goes"): that is the floor its hops compare with.
    floor = results.get("floor", {}).get("classic")
    if not floor:
        return None
    if figure == "step_p50_ms":
        return float(floor["latency_p50_ms"])
    if figure == "step_p99_ms":
        return float(floor["latency_p99_ms"])
    if figure == "ops_per_s":
        return float(floor["throughput_msgs_s"])
    return None


def _target(mode: str, figure: str, value: float | None, celery: float | None) -> tuple[str, str]:
    spec = TARGETS.get((mode, figure))
    if spec is None:
        return "", ""
    limit, higher, beat = spec
    text = f"{'≥' if higher else '≤'} {limit:g}" + (", beat Celery" if beat else "")
    if value is None:
        return text, "?"
    ok = value >= limit if higher else value <= limit
    if beat and celery is not None:
        ok = ok and (value > celery if higher else value < celery)
    return text, "PASS" if ok else "FAIL"


def figures_table(results: dict[str, Any]) -> list[list[str]]:
    rows = [
        [
            "scenario",
            "mode",
            "Raikoo",
            "unit",
            "target",
            "met",
            "Celery",
            "Raikoo/Celery",
            "floor",
            "Raikoo/floor",
        ]
    ]
    celery = results.get("celery", {})
    for scenario, figure, label, unit, higher in FIGURES:
        theirs_block = celery.get(scenario) or {}
        theirs = theirs_block.get(CELERY_KEYS.get(figure, figure))
        for mode in ("embedded", "distributed"):
            block = results.get(mode, {}).get(scenario)
            if not block:
                continue
            ours = block.get(figure)
            floor = _floor(results, figure) if mode == "distributed" else None
            target, mark = _target(mode, figure, ours, theirs)
            better = "↑" if higher else "↓"
            rows.append(
                [
                    label,
                    mode,
                    _num(ours),
                    unit,
                    target,
                    mark,
                    _num(theirs),
                    _num(ratio(ours, theirs), 2) + (f" ({better} better)" if theirs else ""),
                    _num(floor),
                    _num(ratio(ours, floor), 2) if floor else "—",
                ]
            )
    return rows


def rss_table(results: dict[str, Any]) -> list[list[str]]:
    rows = [["mode", "process", "chain", "fan_out", "concurrent", "peak (whole mode)"]]
    for mode in ("embedded", "distributed", "celery"):
        block = results.get(mode, {})
        rss = block.get("rss_mib", {})
        for process, overall in rss.get("overall", {}).items():
            if process == "client":
                continue
            rows.append(
                [mode, process]
                + [_num(rss.get(s, {}).get(process)) for s in ("chain", "fan_out", "concurrent")]
                + [_num(overall)]
            )
    return rows


def cpu_table(results: dict[str, Any]) -> list[list[str]]:
    rows = [["mode", "process", "chain", "fan_out", "concurrent"]]
    for mode in ("embedded", "distributed", "celery"):
        cpu = results.get(mode, {}).get("cpu_ms_per_op", {})
        names = list(cpu.get("chain", {}))
        for process in names:
            rows.append(
                [mode, process]
                + [_num(cpu.get(s, {}).get(process), 2) for s in ("chain", "fan_out", "concurrent")]
            )
    return rows


def render(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if n == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


def markdown(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * len(rows[0])]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows[1:]]
    return "\n".join(lines)


def report_markdown(results: dict[str, Any]) -> str:
    return "\n\n".join(markdown(table(results)) for table in (figures_table, rss_table, cpu_table))


def report(results: dict[str, Any]) -> str:
    parts = ["Figures (medians of what was measured; ratios within this run)", ""]
    parts.append(render(figures_table(results)))
    floor = results.get("floor")
    if floor:
        q, c = floor["quorum"], floor["classic"]
        parts += [
            "",
            "Floor (aio-pika, publisher confirms, persistent, one message at a time / pipelined):",
            f"  quorum queue : round trip p50 {_num(q['latency_p50_ms'], 2)} ms, "
            f"p99 {_num(q['latency_p99_ms'], 2)} ms; {_num(q['throughput_msgs_s'])} msg/s",
            f"  classic queue: round trip p50 {_num(c['latency_p50_ms'], 2)} ms, "
            f"p99 {_num(c['latency_p99_ms'], 2)} ms; {_num(c['throughput_msgs_s'])} msg/s",
        ]
        publish = floor.get("publish")
        if publish:
            parts.append(
                f"  one confirmed publish costs the publisher "
                f"{_num(publish['aio_pika_cpu_us'])} µs CPU with aio-pika "
                f"({_num(publish['aio_pika_wall_us'])} µs wall), "
                f"{_num(publish['faststream_cpu_us'])} µs CPU via FastStream's "
                f"RabbitBroker.publish ({_num(publish['faststream_wall_us'])} µs wall)"
            )
    for mode in ("embedded", "distributed"):
        chain = results.get(mode, {}).get("chain")
        if chain and "phases_p50_ms" in chain:
            phases = ", ".join(f"{k} {_num(v, 2)} ms" for k, v in chain["phases_p50_ms"].items())
            parts.append(
                f"\n{mode} chain step phases (p50): {phases}; "
                f"run duration / steps {_num(chain['step_from_run_duration_ms'], 2)} ms"
            )
    extra = results.get("celery_chord_sqlite")
    if extra:
        parts.append(
            f"\nCelery chord on db+sqlite (real chord, chord_unlock polling): "
            f"{_num(extra['tasks_per_s'])} tasks/s for {extra['width']} tasks"
        )
    parts += ["", "Peak RSS (MiB, sampled every 50 ms)", ""]
    parts.append(render(rss_table(results)))
    parts += ["", "CPU time per operation (ms, user + system, per process)", ""]
    parts.append(render(cpu_table(results)))
    return "\n".join(parts)
