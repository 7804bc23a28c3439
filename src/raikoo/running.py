"""``raikoo run`` and ``raikoo workflows push``: store definitions, start a run, follow it,
print its outputs."""

from __future__ import annotations

import asyncio
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from raikoo.called import called_beside, read_definition
from raikoo.client import ApiError, RaikooClient
from raikoo.console import say
from raikoo.datadir import DataDirInUse
from raikoo.exit_codes import Exit
from raikoo.output import OutputFormat, render
from raikoo.progress import LoopProgress, Progress
from raikoo.session import Session, api_session, in_session


@dataclass(frozen=True)
class RunRequest:
    file: Path
    text: str
    children: list[Definition]
    """Workflows it calls that files beside it define: stored before it runs."""
    inputs: dict[str, Any]
    watch: bool
    server: str
    data_dir: Path | None
    output: OutputFormat


@dataclass(frozen=True)
class Definition:
    path: Path
    content: bytes

    @classmethod
    def read(cls, path: Path) -> Definition:
        return cls(path, path.read_bytes())


DEFINITION_SUFFIXES = (".yaml", ".yml", ".json")


def definition_files(paths: list[Path]) -> list[Path]:
    """The files named, and the definitions under the directories named (recursively, in
    name order; hidden directories such as .git skipped)."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        for candidate in sorted(path.rglob("*")):
            hidden = any(part.startswith(".") for part in candidate.relative_to(path).parts)
            if candidate.suffix in DEFINITION_SUFFIXES and candidate.is_file() and not hidden:
                found.append(candidate)
    return found


def prepare_run(file: Path, **options: Any) -> RunRequest:
    """Read the definition and find what it calls beside it (before any event loop runs:
    file reads block)."""
    document = read_definition(file)
    children = called_beside(file, document) if document else {}
    text = file.read_text(encoding="utf-8")
    return RunRequest(file, text, [Definition.read(path) for path in children.values()], **options)


async def run_file(request: RunRequest) -> Exit:
    async def go(session: Session) -> Exit:
        if request.watch and session.in_process:
            say(f"no server at {request.server}; running in-process", style="dim")
        for child in request.children:
            if not await push_definition(session.client, child):
                return Exit.INVALID
        return await _run(session, request)

    return await in_session(request.server, request.data_dir, go)


async def push_files(files: list[Definition], server: str, data_dir: Path | None) -> Exit:
    try:
        async with api_session(server, data_dir) as session:
            if session.in_process:
                say(f"no server at {server}; storing in the data directory", style="dim")
            results = [await push_definition(session.client, file) for file in files]
    except DataDirInUse as exc:
        say(str(exc), style="red")
        return Exit.DATA_DIR_IN_USE
    return Exit.OK if all(results) else Exit.INVALID


async def push_definition(client: RaikooClient, definition: Definition) -> bool:
    """Store one definition; says what happened, or every problem with its path."""
    path = definition.path
    content_type = "application/json" if path.suffix == ".json" else "application/yaml"
    try:
        stored, created = await client.store_workflow(definition.content, content_type)
    except ApiError as exc:
        print_problem(str(path), exc)
        return False
    what = f"{stored['name']} v{stored['version']}"
    say(f"stored {what} ({path})" if created else f"{what} is stored already ({path})")
    return True


async def _run(session: Session, request: RunRequest) -> Exit:
    client = session.client
    try:
        created = await client.create_run(
            {"definition": request.text, "inputs": request.inputs, "trigger": "cli"}
        )
    except ApiError as exc:
        print_problem(str(request.file), exc)
        return Exit.INVALID if exc.status in (404, 409, 422) else Exit.FAILED
    return await _follow(session, created, watch=request.watch, output=request.output)


async def retry_run(
    run_id: str, *, watch: bool, output: OutputFormat, server: str, data_dir: Path | None
) -> Exit:
    """``raikoo retry``: start a retry of a failed run, follow it, print its outputs."""

    async def go(session: Session) -> Exit:
        try:
            created = await session.client.retry_run(run_id)
        except ApiError as exc:
            print_problem(f"run {run_id}", exc)
            return Exit.INVALID if exc.status in (404, 409, 422) else Exit.FAILED
        if watch:
            say(f"retrying run {run_id}", style="dim")
        return await _follow(session, created, watch=watch, output=output)

    return await in_session(server, data_dir, go)


async def _follow(
    session: Session, created: dict[str, Any], *, watch: bool, output: OutputFormat
) -> Exit:
    client = session.client
    run_id = created["id"]
    progress, loops = None, None
    if watch:
        workflow = created["workflow"]
        say("run ", (run_id, "bold"), f" of {workflow['name']} v{workflow['version']}")
        progress = Progress()
        loops = LoopProgress(created.get("loops") or [], lambda: client.get_run(run_id))
    try:
        async for event, data in client.events(run_id):
            if loops is not None and progress is not None:
                await loops.note(event, data)
                progress.show(event, data)
                if data.get("state") == "waiting" and data.get("op_key"):
                    await _hint_approval(session, run_id, data["op_key"])
    except asyncio.CancelledError:
        # Ctrl-C: the user cancels the run, not this task's clean-up.
        task = asyncio.current_task()
        if task is not None:
            task.uncancel()
        await client.cancel_run(run_id)
        say(f"cancel requested for run {run_id}")
        return Exit.CANCELLED
    return finish(await client.get_run(run_id), output)


def finish(run: dict[str, Any], output: OutputFormat) -> Exit:
    """The outputs on stdout, or the one line saying why there are none."""
    if run["state"] == "succeeded":
        sys.stdout.write(render(run["outputs"] or {}, output))
        return Exit.OK
    error = run.get("error") or {}
    say((f"run {run['state']}", "red"), f": {error.get('message', 'no detail')}")
    return Exit.CANCELLED if run["state"] == "cancelled" else Exit.FAILED


async def _hint_approval(session: Session, run_id: str, op_key: str) -> None:
    """Say how to decide an approval the run now waits for (an in-process run's API listens
    on a port of its own, which the user cannot guess)."""
    for approval in await session.client.approvals(run_id):
        if approval["op_key"] == op_key:
            asked = f": {approval['message']}" if approval.get("message") else ""
            say(f"    waiting for a decision{asked}")
            where = f"--server {session.base_url}"
            if session.data_dir is not None:  # its local admin key is the one to send
                where += f" --data-dir {shlex.quote(str(session.data_dir))}"
            say(f"    raikoo approve {run_id} {op_key} {where}   (or --reject)")


def print_problem(source: str, exc: ApiError) -> None:
    say((f"{source}: {exc.problem.get('title', 'error')}", "red"), f" — {exc}")
    for problem in exc.problem.get("errors", []):
        line = f" (line {problem['line']})" if problem.get("line") else ""
        say(f"  - {problem.get('path') or '(document)'}: {problem['message']}{line}")
