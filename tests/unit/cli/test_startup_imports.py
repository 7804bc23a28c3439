"""``raikoo --help`` imports neither the server nor the HTTP client nor the SDK: commands
import what they use, and ``raikoo.Client`` loads on first use."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("httpx", "raikoo_gateway", "fastapi", "sqlalchemy", "pydantic", "raikoo.sdk", "rich")

PROBE = f"""
import sys
sys.argv = ["raikoo", "--help"]
from raikoo.cli import app
try:
    app()
except SystemExit as exit:
    assert exit.code == 0, exit.code
print("loaded:" + ",".join(name for name in {HEAVY!r} if name in sys.modules))
import raikoo
raikoo.Client
print("sdk on use:", "raikoo.sdk" in sys.modules)
"""


def test_help_loads_no_server_no_http_client_no_sdk() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "Usage: raikoo" in result.stdout
    assert "\nloaded:\n" in result.stdout, f"raikoo --help imported: {result.stdout[-200:]}"
    assert result.stdout.endswith("sdk on use: True\n")
