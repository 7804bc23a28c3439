"""Options the commands that talk to an API share."""

from __future__ import annotations

from typing import Annotated

import typer

from raikoo.output import OutputFormat

Server = Annotated[
    str | None,
    typer.Option(
        envvar="RAIKOO_SERVER_URL",
        help="The API to use [default: the profile's server, else http://127.0.0.1:8000]",
        show_default=False,
    ),
]
Profile = Annotated[
    str | None,
    typer.Option(
        envvar="RAIKOO_PROFILE",
        help="A profile saved by raikoo login [default: default]",
        show_default=False,
    ),
]
Output = Annotated[
    OutputFormat,
    typer.Option("--output", "-o", help="json, yaml or text"),
]
