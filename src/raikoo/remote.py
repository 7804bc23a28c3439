"""Commands over the API (``raikoo runs``, ``secrets``, ``keys``): an SDK client for the
server and profile chosen, the API's refusals said on stderr with an exit code, answers
printed on stdout in the format asked."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer

from raikoo.console import say
from raikoo.exit_codes import Exit
from raikoo.output import OutputFormat, render

if TYPE_CHECKING:
    from raikoo.sdk import ApiError, Client


@contextmanager
def client(
    server: str | None,
    profile: str | None,
    project: str | None = None,
    *,
    api_key: str | None = None,
) -> Iterator[Client]:
    import httpx

    from raikoo.profiles import ProfilesUnreadable
    from raikoo.sdk import ApiError, Client

    try:
        with Client(server, api_key, profile=profile, project=project) as api:
            try:
                yield api
            except httpx.HTTPError as exc:
                say(f"no Raikoo API at {api.base_url}: {exc}", style="red")
                raise typer.Exit(Exit.FAILED) from None
    except ApiError as exc:
        refused(exc)
        raise typer.Exit(Exit.INVALID if exc.status == 422 else Exit.FAILED) from None
    except ProfilesUnreadable as exc:
        say(f"unreadable profiles: {exc}", style="red")
        raise typer.Exit(Exit.INVALID) from None


def refused(exc: ApiError) -> None:
    say((f"{exc.title}", "red"), f": {exc}")
    for problem in exc.errors:
        say(f"  - {problem.get('path') or '(request)'}: {problem.get('message')}")


def show(value: Any, fmt: OutputFormat) -> None:
    """A model, or a list of them, on stdout."""
    sys.stdout.write(render(plain(value), fmt))


def plain(value: Any) -> Any:
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> None:
    """Rows as aligned columns on stdout (``-o text`` of a list)."""
    if not rows:
        say("(none)", style="dim")
        return
    widths = [max(len(row[n]) for row in [header, *rows]) for n in range(len(header))]
    for row in [header, *rows]:
        line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        sys.stdout.write(line.rstrip() + "\n")


def secret_text(prompt: str) -> str:
    """A value read from stdin when it is piped, else asked for without echoing it."""
    if not sys.stdin.isatty():
        value = sys.stdin.read().removesuffix("\n").removesuffix("\r")
    else:
        value = typer.prompt(prompt, hide_input=True, confirmation_prompt=False)
    if not value:
        raise typer.BadParameter("nothing was given", param_hint=prompt)
    return value
