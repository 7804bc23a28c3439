"""The `raikoo` command as a user runs it: a separate process, exit codes, output."""

from __future__ import annotations

import json
import re
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from raikoo.credentials import local_admin_key
from tests._budget import WAIT_SECONDS
from tests.integration._cli import (
    ROOT,
    key_headers,
    nowhere,
    raikoo,
    raikoo_running,
    raikoo_up,
    stderr_until,
)

QUICKSTART = ROOT / "examples" / "quickstart.yaml"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A `raikoo up` the tests that only need an API share."""
    data_dir = tmp_path_factory.mktemp("up")
    with raikoo_up(data_dir, data_dir / "up.log") as (url, _):
        yield url


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


def test_run_against_a_running_server_the_lock_and_the_run_log(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with raikoo_up(tmp_path, log) as (url, server):
        result = raikoo("run", str(QUICKSTART), "--server", url, "--watch")
        assert result.returncode == 0, result.stderr
        assert "running in-process" not in result.stderr
        assert json.loads(result.stdout)["title"] == "Hello, world!"
        assert local_admin_key(tmp_path), "raikoo up keeps its admin key in its data dir"
        runs = httpx.get(f"{url}/v1/runs", headers=key_headers(url)).json()["items"]
        assert [r["state"] for r in runs] == ["succeeded"]

        clash = raikoo("run", str(QUICKSTART), "--server", nowhere(), "--data-dir", str(tmp_path))
        assert clash.returncode == 3, "the lock has an exit code of its own"
        assert f"another Raikoo process (pid {server.pid})" in clash.stderr
        assert f"run against it with --server {url}" in clash.stderr
        broken = tmp_path / "broken.yaml"
        broken.write_text(
            "name: broken\noperations:\n  oops: {uses: fail, with: {message: full}}\n"
        )
        assert raikoo("run", str(broken), "--server", url).returncode == 1
    assert server.returncode == 0, log.read_text()
    logged = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    runs_logged = [line for line in logged if line.get("event", "").startswith("run ")]
    assert [(line["event"], line["workflow"]) for line in runs_logged] == [
        ("run started", "quickstart v1"),
        ("run succeeded", "quickstart v1"),
        ("run started", "broken v1"),
        ("run failed", "broken v1"),
    ]
    assert runs_logged[1]["run_id"] == runs[0]["id"]
    assert runs_logged[1]["duration"].endswith("s")
    assert "duration" not in runs_logged[0]
    assert runs_logged[3]["error"] == "operation 'oops' failed: [error] full"


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
    args = ("run", str(workflow), "--watch", "--data-dir", str(tmp_path), "--server", nowhere())
    with raikoo_running(*args) as waiting:
        hint = stderr_until(waiting, "raikoo approve ")
        command = hint.split("(")[0].split()[1:]
        decided = raikoo(*command, "--comment", "fine")
        assert decided.returncode == 0, decided.stderr
        assert "approved review" in decided.stderr
        out, _ = waiting.communicate(timeout=60)
    assert waiting.returncode == 0
    assert json.loads(out) == {"by": "local admin"}, "the key that decided, by name"


def test_approve_without_a_server_says_so() -> None:
    result = raikoo("approve", "00000000-0000-0000-0000-000000000000", "x", "--server", nowhere())
    assert result.returncode == 1
    assert "no Raikoo API at" in result.stderr


def test_help_answers_and_keeps_square_brackets() -> None:
    assert raikoo("--help").returncode == 0
    helped = raikoo("run", "--help")
    assert helped.returncode == 0
    assert "[default: ~/.raikoo]" in helped.stdout
    assert "--output" in helped.stdout
    assert "Exit codes:" in helped.stdout
    assert "    3    another Raikoo process holds the data directory" in helped.stdout


def test_a_failure_is_said_once_with_its_square_brackets(tmp_path: Path) -> None:
    workflow = tmp_path / "broken.yaml"
    workflow.write_text(
        "name: broken\noperations:\n"
        "  oops: {uses: fail, with: {message: 'no [a-z]+ in [template] [default: x]'}}\n"
    )
    result = raikoo(
        "run", str(workflow), "--watch", "--data-dir", str(tmp_path), "--server", nowhere()
    )
    assert result.returncode == 1
    assert "✗ oops failed" in result.stderr
    assert result.stderr.count("run failed") == 1, result.stderr
    said = "run failed: operation 'oops' failed: [error] no [a-z]+ in [template] [default: x]"
    assert said in result.stderr


def test_outputs_as_json_yaml_or_text_with_unicode_as_it_is(tmp_path: Path, server: str) -> None:
    workflow = tmp_path / "greet.yaml"
    workflow.write_text(
        "name: greet\noperations:\n"
        "  hi: {uses: set, with: {g: 'Grüße, 日本 [ok]', lines: \"a\\nb\", n: 3}}\n"
        "outputs: {greeting: '{{ ops.hi.output.g }}', lines: '{{ ops.hi.output.lines }}',"
        " n: '{{ ops.hi.output.n }}'}\n",
        encoding="utf-8",
    )
    expected = {"greeting": "Grüße, 日本 [ok]", "lines": "a\nb", "n": 3}
    shown = {
        fmt: raikoo("run", str(workflow), "--server", server, "--output", fmt)
        for fmt in ("json", "yaml", "text")
    }
    wrong = raikoo("run", str(workflow), "--server", server, "-o", "xml")
    assert all(result.returncode == 0 for result in shown.values())
    assert json.loads(shown["json"].stdout) == expected
    assert '"Grüße, 日本 [ok]"' in shown["json"].stdout, "no \\u escapes"
    assert yaml.safe_load(shown["yaml"].stdout) == expected
    assert "日本" in shown["yaml"].stdout
    assert shown["text"].stdout == "greeting: Grüße, 日本 [ok]\nlines:\n  a\n  b\nn: 3\n"
    assert wrong.returncode == 2
    assert "xml" in wrong.stderr


def test_watch_shows_a_loops_progress(tmp_path: Path) -> None:
    workflow = tmp_path / "loop.yaml"
    workflow.write_text(
        "name: loop\noperations:\n"
        "  enrich:\n    uses: foreach\n"
        "    with: {items: '{{ range(40) | list }}', max_parallel: 4}\n"
        "    do: {uses: sleep, with: {duration: 20ms}}\n"
    )
    result = raikoo(
        "run", str(workflow), "--watch", "--data-dir", str(tmp_path), "--server", nowhere()
    )
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert "  ▶ enrich 40/40 items" in lines
    assert lines.index("  ▶ enrich 40/40 items") < lines.index("  ✓ enrich succeeded")
    assert not [line for line in lines if "enrich[" in line], "items are counted, not listed"


def test_validate_checks_defaults_retry_kinds_secrets_in_outputs(tmp_path: Path) -> None:
    workflow = tmp_path / "flawed.yaml"
    workflow.write_text(
        "name: flawed\n"
        "inputs:\n  n: {type: integer, default: three}\n"
        "operations:\n"
        "  a: {uses: noop, retry: {max_attempts: 2, on: [http_statu]}}\n"
        "outputs: {token: '{{ secrets.TOKEN }}'}\n"
    )
    result = raikoo("validate", str(workflow))
    assert result.returncode == 2
    assert "inputs.n.default: the default does not fit `type: integer`" in result.stderr
    assert "(line 3)" in result.stderr
    assert "operations.a.retry.on[0]: unknown error kind 'http_statu'" in result.stderr
    assert "outputs.token: outputs cannot read secrets" in result.stderr


def test_validate_finds_called_workflows_beside_or_stored(tmp_path: Path, server: str) -> None:
    (tmp_path / "child.yaml").write_text("name: child\noperations: {a: {uses: noop}}\n")
    calls = (
        "name: {name}\noperations:\n  c: {{uses: workflow.call, with: {{workflow: {called}}}}}\n"
    )
    parent = tmp_path / "parent.yaml"
    parent.write_text(calls.format(name="parent", called="child"))
    orphan = tmp_path / "orphan.yaml"
    orphan.write_text(calls.format(name="orphan", called="ghost"))
    assert raikoo("validate", str(parent), "--server", nowhere()).returncode == 0
    offline = raikoo("validate", str(orphan), "--server", nowhere())
    assert offline.returncode == 0, "offline it cannot know: a warning"
    assert "workflow 'ghost' (called at operations.c.with.workflow)" in offline.stderr
    assert "no server answers" in offline.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "caller.yaml").write_text(calls.format(name="caller", called="child"))
    url = server
    missing = raikoo("validate", str(orphan), "--server", url)
    unknown_child = raikoo("validate", str(elsewhere / "caller.yaml"), "--server", url)
    pushed = raikoo("workflows", "push", str(tmp_path / "child.yaml"), str(orphan), "--server", url)
    again = raikoo("workflows", "push", str(tmp_path / "child.yaml"), "--server", url)
    known_child = raikoo("validate", str(elsewhere / "caller.yaml"), "--server", url)
    assert missing.returncode == 2
    assert (
        "operations.c.with.workflow: workflow 'ghost' is neither defined beside this file "
        f"nor stored on {url} (line 3)"
    ) in missing.stderr
    assert unknown_child.returncode == 2
    assert pushed.returncode == 0, pushed.stderr
    assert "stored child v1" in pushed.stderr
    assert "stored orphan v1" in pushed.stderr, "stored before what it calls: allowed"
    assert "child v1 is stored already" in again.stderr
    assert known_child.returncode == 0, known_child.stderr


def test_push_stores_the_valid_and_reports_the_invalid(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"name": "good", "operations": {"a": {"uses": "noop"}}}))
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\noperations:\n  a: {uses: nope}\n")
    result = raikoo(
        "workflows", "push", str(bad), str(good), "--data-dir", str(tmp_path / "d"),
        "--server", nowhere(),
    )  # fmt: skip
    assert result.returncode == 2
    assert f"{bad}: " in result.stderr
    assert "operations.a.uses: unknown operation kind 'nope'" in result.stderr
    assert "stored good v1" in result.stderr


def test_ctrl_c_cancels_an_in_process_run_and_exits_130(tmp_path: Path) -> None:
    workflow = tmp_path / "slow.yaml"
    workflow.write_text("name: slow\noperations:\n  wait: {uses: sleep, with: {duration: 60s}}\n")
    args = ("run", str(workflow), "--watch", "--data-dir", str(tmp_path), "--server", nowhere())
    with raikoo_running(*args) as running:
        stderr_until(running, "▶ wait running")
        running.send_signal(signal.SIGINT)
        out, err = running.communicate(timeout=60)
    assert running.returncode == 130, err
    assert "cancel requested for run" in err
    assert out == ""


def test_apply_a_directory_twice_changes_nothing_the_second_time(
    tmp_path: Path, server: str
) -> None:
    repo = tmp_path / "repo"
    (repo / "nested").mkdir(parents=True)
    (repo / ".git").mkdir()
    (repo / "alpha.yaml").write_text("name: apply-alpha\noperations:\n  a: {uses: noop}\n")
    (repo / "nested" / "beta.json").write_text(
        json.dumps({"name": "apply-beta", "operations": {"b": {"uses": "noop"}}})
    )
    (repo / ".git" / "ignored.yaml").write_text("not: a workflow\n")
    (repo / "README.md").write_text("not a definition\n")
    first = raikoo("apply", "-f", str(repo), "--server", server)
    assert first.returncode == 0, first.stderr
    assert "stored apply-alpha v1" in first.stderr
    assert "stored apply-beta v1" in first.stderr
    second = raikoo("apply", "-f", str(repo), "--server", server)
    assert second.returncode == 0, second.stderr
    assert "apply-alpha v1 is stored already" in second.stderr
    assert "apply-beta v1 is stored already" in second.stderr

    (repo / "alpha.yaml").write_text("name: apply-alpha\noperations:\n  a: {uses: nope}\n")
    (repo / "gamma.yml").write_text("name: apply-gamma\noperations:\n  g: {uses: noop}\n")
    broken = raikoo("apply", "-f", str(repo), "--server", server)
    assert broken.returncode == 2
    assert "operations.a.uses" in broken.stderr
    assert "stored apply-gamma v1" in broken.stderr, "the valid ones are stored"
    empty = tmp_path / "empty"
    empty.mkdir()
    nothing = raikoo("apply", "-f", str(empty), "--server", server)
    assert nothing.returncode == 2
    assert "no *.yaml" in nothing.stderr


def test_keys_generate_prints_a_fresh_key_in_the_api_format() -> None:
    first, second = raikoo("keys", "generate"), raikoo("keys", "generate")
    assert first.returncode == 0, first.stderr
    assert re.fullmatch(r"rk_[a-z0-9]{10}_[A-Za-z0-9_-]{32}\n", first.stdout), first.stdout
    assert first.stdout != second.stdout


def test_retry_runs_a_failed_run_again_and_refuses_one_that_succeeded(server: str) -> None:
    workflow = {
        "name": "retry-cli",
        "operations": {
            "ok": {"uses": "set", "with": {"x": 1}},
            "oops": {"uses": "fail", "needs": ["ok"], "with": {"message": "disk full"}},
        },
    }
    failed = _finished_run(server, workflow)
    assert failed["state"] == "failed"

    result = raikoo("runs", "retry", failed["id"], "--server", server)
    assert result.returncode == 0, result.stderr
    retried_id = result.stdout.strip()
    assert f"retries run {failed['id']}" in result.stderr
    headers = key_headers(server)
    retried = httpx.get(f"{server}/v1/runs/{retried_id}", headers=headers).json()
    assert retried["retry_of"] == failed["id"]
    _finished_run_id(server, retried_id)
    ops = httpx.get(f"{server}/v1/runs/{retried_id}/operations", headers=headers).json()
    assert {op["key"]: op["reused_from"] is not None for op in ops["items"]} == {
        "ok": True,
        "oops": False,
    }

    fine = _finished_run(server, {"name": "fine", "operations": {"ok": {"uses": "set"}}})
    refused = raikoo("runs", "retry", fine["id"], "--server", server)
    assert refused.returncode == 1
    assert "Run did not fail" in refused.stderr


def _finished_run(server: str, definition: dict[str, Any]) -> dict[str, Any]:
    """A run of ``definition`` started through the API, once it ended."""
    headers = key_headers(server)
    run = httpx.post(f"{server}/v1/runs", json={"definition": definition}, headers=headers).json()
    return _finished_run_id(server, run["id"], run)


def _finished_run_id(server: str, run_id: str, run: dict[str, Any] | None = None) -> dict[str, Any]:
    """The run, once it ended."""
    headers = key_headers(server)
    run = run or httpx.get(f"{server}/v1/runs/{run_id}", headers=headers).json()
    deadline = time.monotonic() + WAIT_SECONDS
    while run["state"] not in ("succeeded", "failed", "cancelled"):
        assert time.monotonic() < deadline, run
        time.sleep(0.05)
        run = httpx.get(f"{server}/v1/runs/{run['id']}", headers=headers).json()
    return dict(run)


def test_schedules_create_list_pause_resume_delete(server: str) -> None:
    stored = httpx.post(
        f"{server}/v1/workflows",
        json={
            "name": "nightly",
            "inputs": {"who": {"type": "string"}},
            "operations": {"a": {"uses": "noop"}},
        },
        headers=key_headers(server),
    )
    assert stored.status_code == 201, stored.text
    made = raikoo(
        "schedules", "create", "nightly", "0 0 1 1 *", "--timezone", "Asia/Tokyo",
        "-i", "who=Ada", "--missed", "catch_up", "--server", server,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    schedule_id = made.stdout.strip()
    assert "fires next at" in made.stderr

    listed = raikoo("schedules", "list", "--workflow", "nightly", "--server", server)
    assert listed.returncode == 0, listed.stderr
    header, line = listed.stdout.splitlines()
    assert header.split() == ["ID", "WORKFLOW", "CRON", "TIMEZONE", "STATE", "NEXT_FIRE_AT"]
    assert line.startswith(schedule_id)
    assert "0 0 1 1 *" in line
    assert "Asia/Tokyo  enabled" in line

    assert raikoo("schedules", "pause", schedule_id, "--server", server).returncode == 0
    paused = raikoo("schedules", "list", "--server", server).stdout
    assert "paused" in paused
    resumed = raikoo("schedules", "resume", schedule_id, "--server", server)
    assert "fires next at" in resumed.stderr
    assert raikoo("schedules", "delete", schedule_id, "--server", server).returncode == 0
    assert schedule_id not in raikoo("schedules", "list", "--server", server).stdout
    again = raikoo("schedules", "delete", schedule_id, "--server", server)
    assert again.returncode == 1
    assert "does not exist" in again.stderr

    bad = raikoo("schedules", "create", "nightly", "every day", "--server", server)
    assert bad.returncode == 2
    assert "body.cron" in bad.stderr


def test_hooks_create_a_signed_call_starts_a_run_rotate_disable_delete(server: str) -> None:
    from tests._webhooks import signed

    headers = key_headers(server)
    stored = httpx.post(
        f"{server}/v1/workflows",
        json={
            "name": "on-push",
            "inputs": {"repo": {"type": "string"}},
            "operations": {"a": {"uses": "set", "with": {"r": "{{ inputs.repo }}"}}},
            "outputs": {"repo": "{{ ops.a.output.r }}"},
        },
        headers=headers,
    )
    assert stored.status_code == 201, stored.text
    made = raikoo(
        "hooks", "create", "gh", "on-push", "--mapping", '{"repo": "{{ body.repository }}"}',
        "--server", server,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip()
    assert secret.startswith("whsec_")
    path = re.search(r"POST (/v1/hooks/[0-9a-f-]{36})", made.stderr)
    assert path is not None, made.stderr
    hook_id = path[1].rsplit("/", 1)[1]

    body = b'{"repository": "raikoo/raikoo"}'
    called = httpx.post(f"{server}{path[1]}?wait=30", content=body, headers=signed(secret, body))
    assert called.status_code == 200, called.text
    assert called.json()["outputs"] == {"repo": "raikoo/raikoo"}

    listed = raikoo("hooks", "list", "--server", server)
    assert listed.returncode == 0, listed.stderr
    assert hook_id in listed.stdout
    assert "enabled" in listed.stdout

    rotated = raikoo("hooks", "rotate-secret", hook_id, "--server", server)
    assert rotated.returncode == 0, rotated.stderr
    assert rotated.stdout.strip().startswith("whsec_")
    assert rotated.stdout.strip() != secret

    assert raikoo("hooks", "disable", hook_id, "--server", server).returncode == 0
    refused = httpx.post(f"{server}{path[1]}", content=body, headers=signed(secret, body))
    assert refused.status_code == 404
    assert raikoo("hooks", "delete", hook_id, "--server", server).returncode == 0
    assert hook_id not in raikoo("hooks", "list", "--server", server).stdout
