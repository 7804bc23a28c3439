"""``raikoo validate``: every problem of a definition, with its path and line, without
running it — and whether the workflows it calls exist."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from raikoo.called import Call, calls_in, definitions_beside
from raikoo.console import say
from raikoo.exit_codes import Exit

_PROJECT_OPERATION = re.compile(r"""\buses:\s*["']?(op/[A-Za-z0-9._-]+)""")


@dataclass
class Findings:
    problems: list[Any] = field(default_factory=list)
    """``raikoo_common.workflow.Problem``s: the definition cannot run as it is."""
    warnings: list[str] = field(default_factory=list)
    """What could not be checked here, and what that risks."""


def validate_file(file: Path, server: str) -> Exit:
    # The kinds' config schemas come from the runners' catalogs, as on the server; the
    # catalogs load their kinds' heavy libraries only when an operation executes.
    from raikoo_common.workflow import DefinitionInvalid
    from raikoo_common.workflow.loader import read_document
    from raikoo_common.workflow.validate import validate_definition
    from raikoo_gateway.catalog import full_catalog

    text = file.read_text(encoding="utf-8")
    kinds: dict[str, Any] = {name: kind.config for name, kind in full_catalog().items()}
    # Project operations live on a server: offline, only their use is checked.
    project = sorted(set(_PROJECT_OPERATION.findall(text)))
    kinds.update(dict.fromkeys(project))
    findings = Findings()
    try:
        document, source_map = read_document(text, source=str(file))
    except DefinitionInvalid as exc:
        say(str(exc), style="red")
        return Exit.INVALID
    count = 0
    try:
        count = len(validate_definition(document, kinds=kinds, source_map=source_map).operations)
    except DefinitionInvalid as exc:
        findings.problems += exc.problems
    _check_calls(file, document, server, findings, source_map)
    for warning in findings.warnings:
        say(f"{file}: {warning}", style="yellow")
    if findings.problems:
        findings.problems.sort(key=lambda problem: problem.line or 0)
        say(str(DefinitionInvalid(findings.problems, str(file))), style="red")
        return Exit.INVALID
    say(f"{file}: valid ({count} operation{'s' if count != 1 else ''})", style="green")
    if project:
        say(
            f"  project operations ({', '.join(project)}) and their inputs are checked by the "
            "server when the workflow is stored"
        )
    return Exit.OK


def _check_calls(
    file: Path, document: Mapping[str, Any], server: str, findings: Findings, source_map: Any
) -> None:
    """A called workflow must be beside the file (``raikoo run`` stores it) or stored on
    the server. Offline, a name found in neither place is only a warning: the server it
    will run on may have it. The server does not refuse such a definition when it is
    stored: a parent may be stored before its children, and two workflows may call each
    other, so neither could be stored first."""
    calls = calls_in(document)
    if not calls:
        return
    beside = definitions_beside(file.resolve().parent)
    missing = [call for call in calls if call.workflow not in beside]
    if missing:
        from raikoo_common.event_loop import run

        run(_ask_server(missing, server, findings, source_map))


async def _ask_server(
    missing: list[Call], server: str, findings: Findings, source_map: Any
) -> None:
    from raikoo.sdk import AsyncClient, NotFound
    from raikoo.session import server_alive
    from raikoo_common.workflow.problems import problem_at

    if not await server_alive(server):
        for call in missing:
            findings.warnings.append(
                f"workflow {call.workflow!r} (called at {_path(call.loc)}) is not defined "
                f"beside this file, and no server answers at {server} to say whether it is "
                "stored; the run fails if it is neither"
            )
        return
    async with AsyncClient(server) as client:
        for call in missing:
            try:
                await client.workflows.get(call.workflow, call.version)
            except NotFound:
                which = f"version {call.version} of " if call.version else ""
                message = (
                    f"{which}workflow {call.workflow!r} is neither defined beside this file "
                    f"nor stored on {server}"
                )
                findings.problems.append(problem_at(call.loc, message, source_map))


def _path(loc: tuple[str | int, ...]) -> str:
    from raikoo_common.workflow.problems import format_path

    return format_path(loc)
