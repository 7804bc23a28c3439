"""``raikoo up``: Raikoo in one process, serving the API until a signal stops it."""

from __future__ import annotations

from pathlib import Path

from raikoo.console import say
from raikoo.credentials import LOCAL_ADMIN_FILE
from raikoo.datadir import DataDirInUse
from raikoo.exit_codes import Exit


async def serve(host: str, port: int, data_dir: Path | None) -> Exit:
    from raikoo.embedded import EmbeddedRaikoo
    from raikoo_common.logging import configure_logging
    from raikoo_common.runtime import until_signalled

    configure_logging()
    raikoo = EmbeddedRaikoo(data_dir=data_dir, host=host, port=port, log_runs=True, console=True)
    try:
        url = await raikoo.start()
    except DataDirInUse as exc:
        say(str(exc), style="red")
        return Exit.DATA_DIR_IN_USE
    say("Raikoo is up at ", (url, "bold"), f" (API docs: {url}/docs). Ctrl-C stops it.")
    if raikoo.gateway_settings.console_dir is not None:
        say("Web console: ", (f"{url}/", "bold"), " (sign in with the local admin key)")
    else:
        say("No web console: build it with `npm --prefix web ci && npm --prefix web run build`")
    key_file = raikoo.gateway_settings.data_dir / LOCAL_ADMIN_FILE
    if raikoo.new_local_admin_key and raikoo.local_admin_key:
        # Shown once: it is kept (owner-only) for the CLI on this machine.
        say("Local admin API key (shown once): ", (raikoo.local_admin_key, "bold"))
    say(f"The raikoo CLI on this machine uses the local admin key in {key_file}.")
    try:
        await until_signalled()
    finally:
        await raikoo.stop()
    return Exit.OK
