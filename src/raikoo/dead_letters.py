"""``raikoo dead-letters``: what the RabbitMQ bus set aside, for people to read, replay or
delete (``raikoo_common.bus.letters``). Configured like the services: RAIKOO_BUS_URL and
RAIKOO_BUS_PREFIX."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

import typer

from raikoo.exit_codes import Exit

app = typer.Typer(
    help="Messages the bus set aside: parked (no handler could act on them) or dead "
    "(failed every delivery, drained by the services). RabbitMQ only.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

BusUrl = Annotated[str, typer.Option(envvar="RAIKOO_BUS_URL", help="amqp://user:pass@host/")]
Prefix = Annotated[str, typer.Option(envvar="RAIKOO_BUS_PREFIX", help="The install's prefix")]
Shelf = Annotated[
    str, typer.Option("--shelf", help="parked (kept for people) or dead (being drained)")
]
ChannelArg = Annotated[str, typer.Argument(help="The channel they were first published on")]


def _check(bus_url: str, shelf: str) -> Literal["parked", "dead"]:
    if not bus_url.startswith(("amqp://", "amqps://")):
        raise typer.BadParameter(
            "dead letters are kept by RabbitMQ; embedded mode's in-memory bus logs each one "
            "(bus.dead_letter_parked) and keeps nothing across restarts",
            param_hint="--bus-url",
        )
    if shelf not in ("parked", "dead"):
        raise typer.BadParameter("choose parked or dead", param_hint="--shelf")
    return "parked" if shelf == "parked" else "dead"


@app.command("list")
def list_letters(
    channel: Annotated[str | None, typer.Argument(help="Show this channel's letters")] = None,
    shelf: Shelf = "parked",
    limit: Annotated[int, typer.Option(help="At most this many letters")] = 50,
    bus_url: BusUrl = "",
    prefix: Prefix = "raikoo",
) -> None:
    """Count the letters of every channel, or show those of one with their reasons."""
    from raikoo.console import say
    from raikoo_common.bus import letters

    where = _check(bus_url, shelf)
    if channel is None:
        counts = asyncio.run(letters.count(bus_url, prefix, where))
        if not counts:
            say(f"no {shelf} letters")
        for name, found in sorted(counts.items()):
            say(f"{name}: {found} {shelf}")
        return
    found_letters = asyncio.run(letters.peek(bus_url, prefix, channel, where, limit=limit))
    for letter in found_letters:
        say(
            f"{letter.message_id} {letter.type or '?'} ({letter.size} bytes, "
            f"{letter.deliveries} deliveries, {letter.dead_lettered_at or 'time unknown'})"
        )
        say(f"  dead because: {letter.reason}")
        if letter.parked_because:
            say(f"  parked because: {letter.parked_because}")
    say(f"{len(found_letters)} letter(s) shown")


@app.command()
def replay(
    channel: ChannelArg,
    shelf: Shelf = "parked",
    limit: Annotated[int, typer.Option(help="At most this many letters")] = 1000,
    bus_url: BusUrl = "",
    prefix: Prefix = "raikoo",
) -> None:
    """Send letters back to the channel they came from (fix their cause first)."""
    _done(letters_call("replay", bus_url, prefix, channel, shelf, limit=limit), "replayed")


@app.command()
def purge(
    channel: ChannelArg,
    shelf: Shelf = "parked",
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask")] = False,
    bus_url: BusUrl = "",
    prefix: Prefix = "raikoo",
) -> None:
    """Delete every letter of a channel's shelf."""
    if not yes:
        typer.confirm(f"delete every {shelf} letter of {channel}?", abort=True)
    _done(letters_call("purge", bus_url, prefix, channel, shelf), "deleted")


def letters_call(
    action: str, bus_url: str, prefix: str, channel: str, shelf: str, **kw: Any
) -> int:
    from raikoo_common.bus import letters

    where = _check(bus_url, shelf)
    result: int = asyncio.run(getattr(letters, action)(bus_url, prefix, channel, where, **kw))
    return result


def _done(count: int, what: str) -> None:
    from raikoo.console import say

    say(f"{count} letter(s) {what}")
    raise typer.Exit(Exit.OK)
