"""The web console's run page following a run that makes events fast: a ``foreach`` of
``--items`` ``set`` bodies, started with the page opened at once (web/bench/events.mjs).
Reports the events the run made and their rate, whether the page's last event id is the
stream's last (none dropped), when the page had caught up, and its scripting time.

    uv run --frozen python bench/console_events.py [--items 2000] [--parallel 64]

Needs the console built (``make console``) and Chromium. Asserts nothing. See
docs/benchmarks.md, "Web console".
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess

import httpx

from console_open import WEB, served


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--parallel", type=int, default=64)
    args = parser.parse_args()
    name = f"bench-console-events-{args.items}"
    document = {
        "name": name,
        "settings": {"max_parallel": max(args.parallel, 16)},
        "operations": {
            "each": {
                "uses": "foreach",
                "with": {"items": list(range(args.items)), "max_parallel": args.parallel},
                "do": {"uses": "set", "with": {"v": "{{ item }}"}},
            }
        },
    }
    with served() as (url, key):
        with httpx.Client(base_url=url, headers={"Authorization": f"Bearer {key}"}) as http:
            http.put(f"/v1/workflows/{name}", json=document).raise_for_status()
        measured = subprocess.run(
            ["node", str(WEB / "bench" / "events.mjs")],
            env={**os.environ, "RAIKOO_URL": url, "RAIKOO_KEY": key, "WORKFLOW": name},
            cwd=WEB,
            capture_output=True,
            text=True,
            check=True,
        )
    result = json.loads(measured.stdout)
    load = os.getloadavg()[0]
    print(f"foreach of {args.items} items, max_parallel {args.parallel}, load {load:.2f}")
    for field, value in result.items():
        print(f"  {field:<20} {value}")


if __name__ == "__main__":
    main()
