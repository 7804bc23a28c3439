"""The ``raikoo`` commands over the API, as a user runs them against ``raikoo up``: login
and profiles, runs, secrets and keys, with every output format."""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from raikoo import Client
from tests._budget import WAIT_SECONDS
from tests.integration._cli import raikoo, raikoo_up_with_key

HELLO = {
    "name": "cli-hello",
    "operations": {"greet": {"uses": "set", "with": {"text": "hi"}}},
    "outputs": {"text": "{{ ops.greet.output.text }}"},
}
BROKEN = {"name": "cli-broken", "operations": {"oops": {"uses": "fail", "with": {"message": "x"}}}}
SLOW = {"name": "cli-slow", "operations": {"wait": {"uses": "sleep", "with": {"duration": "60s"}}}}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    with raikoo_up_with_key(tmp_path_factory.mktemp("cli-api")) as up:
        yield up


@pytest.fixture
def api(server: tuple[str, str]) -> Iterator[Client]:
    with Client(*server) as client:
        yield client


def test_login_saves_an_owner_only_profile_that_later_commands_use(
    server: tuple[str, str], api: Client, tmp_path: Path
) -> None:
    url = server[0]
    config = tmp_path / "conf" / "config.toml"
    viewer = api.keys.create("cli-login-viewer", "viewer")
    # No RAIKOO_API_KEY, no local admin key: only the profile can authenticate.
    env = {
        "RAIKOO_CONFIG_FILE": str(config),
        "RAIKOO_API_KEY": "",
        "RAIKOO_DATA_DIR": str(tmp_path / "none"),
    }
    wrong = raikoo("login", "--server", url, "--profile", "ci", env=env, stdin="rk_nope_nope\n")
    assert wrong.returncode == 1
    assert "Not authenticated: the API key is malformed" in wrong.stderr
    assert not config.exists(), "a refused key is not saved"

    logged = raikoo("login", "--server", url, "--profile", "ci", env=env, stdin=viewer.key + "\n")
    assert logged.returncode == 0, logged.stderr
    assert f"logged in to {url} as cli-login-viewer (viewer in default)" in logged.stderr
    assert viewer.key not in logged.stdout + logged.stderr, "the key is never echoed"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.parent.stat().st_mode) == 0o700
    assert viewer.key in config.read_text()

    with_profile = {**env, "RAIKOO_PROFILE": "ci"}
    listed = raikoo("runs", "list", "-o", "json", env=with_profile)
    assert listed.returncode == 0, listed.stderr
    assert isinstance(json.loads(listed.stdout), list)
    refused = raikoo("keys", "list", env=with_profile)
    assert refused.returncode == 1, "the profile's viewer key was sent: keys need an admin"
    assert "admin" in refused.stderr, refused.stderr
    by_flag = raikoo("runs", "list", "--profile", "ci", env=env)
    assert by_flag.returncode == 0, by_flag.stderr

    assert raikoo("logout", "--profile", "ci", env=env).returncode == 0
    assert "ci" not in config.read_text()
    assert raikoo("logout", "--profile", "ci", env=env).returncode == 1


def test_runs_list_get_logs_and_cancel(server: tuple[str, str], api: Client) -> None:
    url = server[0]
    ok = api.runs.create(definition=HELLO)
    failed = api.runs.create(definition=BROKEN)
    api.runs.wait(ok.id, timeout=WAIT_SECONDS)
    api.runs.wait(failed.id, timeout=WAIT_SECONDS)

    text = raikoo("runs", "list", "--server", url)
    assert text.returncode == 0, text.stderr
    assert text.stdout.splitlines()[0].split() == ["ID", "STATE", "WORKFLOW", "TRIGGER", "CREATED"]
    assert f"{failed.id}  failed     cli-broken v1" in text.stdout
    only_failed = raikoo("runs", "list", "--state", "failed", "-o", "json", "--server", url)
    assert [run["id"] for run in json.loads(only_failed.stdout)] == [str(failed.id)]
    limited = raikoo("runs", "list", "--limit", "1", "-o", "yaml", "--server", url)
    assert [run["id"] for run in yaml.safe_load(limited.stdout)] == [str(failed.id)]

    got = raikoo("runs", "get", str(ok.id), "-o", "json", "--operations", "--server", url)
    assert got.returncode == 0, got.stderr
    view = json.loads(got.stdout)
    assert (view["state"], view["outputs"]) == ("succeeded", {"text": "hi"})
    assert [op["key"] for op in view["operation_runs"]] == ["greet"]
    missing = raikoo("runs", "get", "00000000-0000-0000-0000-000000000000", "--server", url)
    assert missing.returncode == 1
    assert "does not exist" in missing.stderr

    logs = raikoo("runs", "logs", str(ok.id), "--server", url)
    assert logs.returncode == 0, logs.stderr
    lines = logs.stdout.splitlines()
    assert re.match(r"\s+1 \S+ run running$", lines[0]), lines
    assert lines[-1].endswith("run succeeded")
    assert any(line.endswith("greet succeeded") for line in lines)
    failed_logs = raikoo("runs", "logs", str(failed.id), "-o", "json", "--server", url)
    assert failed_logs.returncode == 1, "the exit code tells how the run ended"
    events = [json.loads(line) for line in failed_logs.stdout.splitlines()]
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert events[-1]["data"]["state"] == "failed"
    assert "[error] x" in raikoo("runs", "logs", str(failed.id), "--server", url).stdout

    slow = api.runs.create(definition=SLOW)
    cancelled = raikoo("runs", "cancel", str(slow.id), "--reason", "not now", "--server", url)
    assert cancelled.returncode == 0, cancelled.stderr
    assert api.runs.wait(slow.id, timeout=WAIT_SECONDS).state == "cancelled"
    again = raikoo("runs", "cancel", str(slow.id), "--server", url)
    assert again.returncode == 1
    assert "Run already finished" in again.stderr
    assert raikoo("runs", "logs", str(slow.id), "--server", url).returncode == 130


def test_secrets_set_list_delete_never_show_the_value(server: tuple[str, str]) -> None:
    url = server[0]
    value = "cli-secret-value-42"
    written = raikoo("secrets", "set", "CLI_TOKEN", "--server", url, stdin=value + "\n")
    assert written.returncode == 0, written.stderr
    assert value not in written.stdout + written.stderr
    listed = raikoo("secrets", "list", "--server", url)
    assert listed.returncode == 0, listed.stderr
    assert re.search(r"^CLI_TOKEN\s+organization\s+\S+", listed.stdout, re.M), listed.stdout
    as_json = raikoo("secrets", "list", "-o", "json", "--server", url)
    assert "CLI_TOKEN" in [s["name"] for s in json.loads(as_json.stdout)]
    assert value not in listed.stdout + as_json.stdout
    short = raikoo("secrets", "set", "CLI_SHORT", "--server", url, stdin="abc\n")
    assert short.returncode == 2, "the API's 422 is an invalid-input exit"
    assert "value" in short.stderr
    assert raikoo("secrets", "set", "X", "--server", url, stdin="").returncode == 2
    assert raikoo("secrets", "list", "--scope", "team", "--server", url).returncode == 2
    deleted = raikoo("secrets", "delete", "CLI_TOKEN", "--server", url)
    assert deleted.returncode == 0, deleted.stderr
    after = raikoo("secrets", "list", "-o", "json", "--server", url)
    assert "CLI_TOKEN" not in [s["name"] for s in json.loads(after.stdout)]


def test_keys_create_list_revoke(server: tuple[str, str]) -> None:
    url = server[0]
    created = raikoo("keys", "create", "cli-ci", "--role", "viewer", "--server", url)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert re.fullmatch(r"rk_[a-z0-9]{10}_[A-Za-z0-9_-]{32}", key), created.stdout
    assert "shown this once" in created.stderr
    with Client(url, key) as as_key:
        assert as_key.me().role == "viewer"
    listed = raikoo("keys", "list", "-o", "json", "--server", url)
    [mine] = [k for k in json.loads(listed.stdout) if k["name"] == "cli-ci"]
    assert key.startswith(mine["prefix"])
    assert key not in listed.stdout, "only prefixes are listed"
    text = raikoo("keys", "list", "--server", url)
    assert re.search(rf"{mine['id']}\s+cli-ci\s+viewer\s+{mine['prefix']}\s+active", text.stdout)
    assert raikoo("keys", "create", "x", "--role", "god", "--server", url).returncode == 2

    revoked = raikoo("keys", "revoke", mine["id"], "--server", url)
    assert revoked.returncode == 0, revoked.stderr
    text = raikoo("keys", "list", "--server", url)
    assert re.search(rf"{mine['id']}\s+cli-ci\s+.*revoked", text.stdout), text.stdout
    refused = raikoo("runs", "list", "--server", url, env={"RAIKOO_API_KEY": key})
    assert refused.returncode == 1
    assert "was revoked" in refused.stderr
    as_json = raikoo(
        "keys", "create", "cli-json", "--role", "editor", "-o", "json", "--server", url
    )
    document = json.loads(as_json.stdout)
    assert (document["name"], document["role"]) == ("cli-json", "editor")
    assert document["key"].startswith(document["prefix"])
