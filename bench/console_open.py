"""The web console with a large workflow: how long the designer and the run page take to
open it in Chromium (wall time until every node is drawn, and the main thread's scripting
time, from the DevTools protocol's Performance metrics).

    uv run --frozen python bench/console_open.py [--operations 500] [--repeat 3] [--layout]

Starts ``raikoo up`` serving web/out (build it first: ``make console``), stores a workflow of
``--operations`` ``set`` operations in layers of ten (each needing the whole layer before),
runs it to the end, then web/bench/open.mjs opens both pages ``--repeat`` times. Without
``--layout`` the definition has no positions, so the designer lays it out (dagre) as it
opens. Prints medians; asserts nothing. See docs/benchmarks.md, "Web console".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from _procs import free_port
from _stats import median

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "web"
WIDTH = 10


def definition(count: int, *, layout: bool) -> dict[str, Any]:
    operations: dict[str, Any] = {}
    positions: dict[str, dict[str, int]] = {}
    for index in range(count):
        layer, column = divmod(index, WIDTH)
        needs = [f"op_{(layer - 1) * WIDTH + c}" for c in range(WIDTH)] if layer else []
        operations[f"op_{index}"] = {"uses": "set", "with": {"n": index}, "needs": needs}
        positions[f"op_{index}"] = {"x": column * 240, "y": layer * 120}
    document: dict[str, Any] = {"name": f"bench-console-{count}", "operations": operations}
    if layout:
        document["metadata"] = {"layout": positions}
    return document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--operations", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--layout", action="store_true", help="positions in metadata.layout")
    args = parser.parse_args()
    with served() as (url, key):
        document = definition(args.operations, layout=args.layout)
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as http:
            http.put(f"/v1/workflows/{document['name']}", json=document).raise_for_status()
            run = http.post("/v1/runs", json={"workflow": document["name"]}).json()
            _wait_finished(http, run["id"])
        measured = subprocess.run(
            ["node", str(WEB / "bench" / "open.mjs")],
            env={
                **os.environ,
                "RAIKOO_URL": url,
                "RAIKOO_KEY": key,
                "WORKFLOW": document["name"],
                "RUN_ID": run["id"],
                "OPERATIONS": str(args.operations),
                "REPEAT": str(args.repeat),
            },
            cwd=WEB,
            capture_output=True,
            text=True,
            check=True,
        )
    results = json.loads(measured.stdout)
    where = "with positions" if args.layout else "laid out as it opens"
    load = os.getloadavg()[0]
    print(f"{args.operations} operations ({where}), median of {args.repeat}, load {load:.2f}")
    for page, samples in results.items():
        wall = median([s["wall_ms"] for s in samples])
        script = median([s["scripting_ms"] for s in samples])
        print(f"  {page:<9} wall {wall:7.0f} ms   scripting {script:7.0f} ms")


@contextmanager
def served() -> Iterator[tuple[str, str]]:
    """``raikoo up`` serving the built console on a fresh data directory: URL and key."""
    if not (WEB / "out" / "index.html").is_file():
        sys.exit("build the console first: make console")
    port = free_port()
    with tempfile.TemporaryDirectory() as data:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RAIKOO_")}
        env["RAIKOO_CONSOLE_DIR"] = str(WEB / "out")
        command = [sys.executable, "-m", "raikoo", "up", "--port", str(port), "--data-dir", data]
        server = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_ready(url)
            yield url, (Path(data) / "local-admin.key").read_text().strip()
        finally:
            server.terminate()
            server.wait(timeout=30)


def _wait_ready(url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    sys.exit("raikoo up did not become ready")


def _wait_finished(http: httpx.Client, run_id: str) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        state = http.get(f"/v1/runs/{run_id}").json()["state"]
        if state in ("succeeded", "failed", "cancelled"):
            return
        time.sleep(0.5)
    sys.exit("the run did not finish")


if __name__ == "__main__":
    main()
