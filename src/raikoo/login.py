"""``raikoo login`` and ``logout``: save a server and an API key as a profile, after
checking that the key works there."""

from __future__ import annotations

from typing import Annotated

import typer

from raikoo.options import Profile

LoginServer = Annotated[
    str,
    typer.Option(envvar="RAIKOO_SERVER_URL", help="The Raikoo API to sign in to"),
]


def login(
    server: LoginServer = "http://127.0.0.1:8000",
    profile: Profile = None,
) -> None:
    """Save a server and an API key as a profile (the default one, or --profile NAME;
    RAIKOO_PROFILE picks one for later commands). The key is read from stdin when it is
    piped (or RAIKOO_API_KEY), else asked for without being echoed; it is checked against
    the server, then kept in a file only you can read (0600). Exits 1 when the server
    refuses it."""
    from raikoo.console import say
    from raikoo.credentials import CliSettings
    from raikoo.profiles import Profile as Saved
    from raikoo.profiles import save_profile
    from raikoo.remote import client, secret_text

    settings = CliSettings()
    given = settings.api_key.get_secret_value() if settings.api_key else None
    key = given or secret_text("API key")
    name = profile or settings.profile
    url = server.rstrip("/")
    with client(url, None, api_key=key) as api:
        me = api.me()
    save_profile(settings.config_file, Saved(name, url, key))
    say(
        f"logged in to {url} as {me.name} ({me.role} in {me.organization}); "
        f"saved as profile {name!r} in {settings.config_file}"
    )


def logout(profile: Profile = None) -> None:
    """Forget a saved profile (its key stays valid: revoke it with raikoo keys revoke)."""
    from raikoo.console import say
    from raikoo.credentials import CliSettings
    from raikoo.profiles import remove_profile

    settings = CliSettings()
    name = profile or settings.profile
    if not remove_profile(settings.config_file, name):
        say(f"no profile {name!r} in {settings.config_file}", style="yellow")
        raise typer.Exit(1)
    say(f"profile {name!r} removed")
