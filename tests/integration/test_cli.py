"""The `raikoo` command as a user runs it: a separate process, exit codes, output."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
QUICKSTART = ROOT / "examples" / "quickstart.yaml"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def raikoo(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "raikoo", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "RAIKOO_LOG_FORMAT": "json"},
        check=False,
    )


def nowhere() -> str:
    return f"http://127.0.0.1:{free_port()}"


def test_run_in_process_prints_outputs_and_exits_zero(tmp_path: Path) -> None:
    result = raikoo(
        "run", str(QUICKSTART), "-i", "name=Ada", "--data-dir", str(tmp_path),
        "--server", nowhere(), "--watch",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"title": "Hello, Ada!", "lines": 3, "shout": "ADA"}
    assert "running in-process" in result.stderr
    assert "flaky retrying" in result.stderr
    assert "run succeeded" in result.stderr


def test_failed_run_exits_one_and_says_where(tmp_path: Path) -> None:
    workflow = tmp_path / "broken.yaml"
    workflow.write_text(
        "name: broken\noperations:\n  oops: {uses: fail, with: {message: disk full}}\n"
    )
    result = raikoo("run", str(workflow), "--data-dir", str(tmp_path), "--server", nowhere())
    assert result.returncode == 1
    assert "oops" in result.stderr
    assert "disk full" in result.stderr
    assert result.stdout == ""


def test_invalid_definition_exits_two_with_every_problem(tmp_path: Path) -> None:
    workflow = tmp_path / "bad.yaml"
    workflow.write_text(
        "name: bad\noperations:\n  a: {uses: nope}\n  b: {uses: noop, needs: [ghost]}\n"
    )
    result = raikoo("run", str(workflow), "--data-dir", str(tmp_path), "--server", nowhere())
    assert result.returncode == 2
    assert "operations.a.uses" in result.stderr
    assert "operations.b.needs[0]" in result.stderr
    assert "(line 3)" in result.stderr
    checked = raikoo("validate", str(workflow))
    assert checked.returncode == 2
    assert "operations.b.needs[0]" in checked.stderr
    assert raikoo("validate", str(QUICKSTART)).returncode == 0


def test_missing_input_exits_two(tmp_path: Path) -> None:
    workflow = tmp_path / "needs-input.yaml"
    workflow.write_text(
        "name: needs-input\ninputs:\n  n: {type: integer}\n"
        "operations:\n  a: {uses: set, with: {n: '{{ inputs.n }}'}}\n"
    )
    result = raikoo("run", str(workflow), "--data-dir", str(tmp_path), "--server", nowhere())
    assert result.returncode == 2
    assert "inputs.n" in result.stderr
    malformed = raikoo("run", str(workflow), "-i", "n", "--server", nowhere())
    assert malformed.returncode == 2
    assert "name=value" in malformed.stderr


def test_run_against_a_running_server_and_data_dir_lock(tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("w") as sink:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "raikoo",
                "up",
                "--port",
                str(port),
                "--data-dir",
                str(tmp_path),
            ],
            stdout=sink,
            stderr=sink,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/readyz").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "raikoo up did not become ready"
            time.sleep(0.1)
        result = raikoo("run", str(QUICKSTART), "--server", url, "--watch")
        assert result.returncode == 0, result.stderr
        assert "running in-process" not in result.stderr
        assert json.loads(result.stdout)["title"] == "Hello, world!"
        runs = httpx.get(f"{url}/v1/runs").json()["items"]
        assert [r["state"] for r in runs] == ["succeeded"]

        clash = raikoo("run", str(QUICKSTART), "--server", nowhere(), "--data-dir", str(tmp_path))
        assert clash.returncode == 1
        assert "another Raikoo process" in clash.stderr
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            pytest.fail("raikoo up did not stop on SIGTERM")
    assert server.returncode == 0, log.read_text()


def test_a_run_waiting_for_approval_says_how_to_decide_and_approve_continues_it(
    tmp_path: Path,
) -> None:
    workflow = tmp_path / "gated.yaml"
    workflow.write_text(
        "name: gated\n"
        "operations:\n"
        "  review: {uses: wait.approval, with: {message: 'Ship it?'}}\n"
        "  ship: {uses: set, needs: [review], with: {by: '{{ ops.review.output.decided_by }}'}}\n"
        "outputs: {by: '{{ ops.ship.output.by }}'}\n"
    )
    waiting = subprocess.Popen(
        [sys.executable, "-m", "raikoo", "run", str(workflow), "--watch",
         "--data-dir", str(tmp_path), "--server", nowhere()],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "RAIKOO_LOG_FORMAT": "json"},
    )  # fmt: skip
    try:
        assert waiting.stderr is not None
        command: list[str] = []
        for line in waiting.stderr:
            if line.strip().startswith("raikoo approve "):
                command = line.split("(")[0].split()[1:]
                break
        assert command, "no hint on how to decide"
        decided = raikoo(*command, "--comment", "fine")
        assert decided.returncode == 0, decided.stderr
        assert "approved review" in decided.stderr
        out, _ = waiting.communicate(timeout=60)
        assert waiting.returncode == 0
        assert json.loads(out) == {"by": "local-admin"}
    finally:
        if waiting.poll() is None:
            waiting.kill()
            waiting.wait()


def test_approve_without_a_server_says_so() -> None:
    result = raikoo("approve", "00000000-0000-0000-0000-000000000000", "x", "--server", nowhere())
    assert result.returncode == 1
    assert "no Raikoo API at" in result.stderr
