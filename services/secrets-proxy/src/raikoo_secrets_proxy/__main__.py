"""``python -m raikoo_secrets_proxy``: the secrets-proxy as its own process."""

from raikoo_common.event_loop import pause_collection

pause_collection()  # before the imports below: they are most of a start-up

from raikoo_common.runtime import run, serve
from raikoo_common.secrets import local_secret_store
from raikoo_secrets_proxy.app import create_app
from raikoo_secrets_proxy.settings import SecretsProxySettings


async def main() -> None:
    settings = SecretsProxySettings()
    await serve(
        "secrets-proxy",
        settings,
        None,
        app=create_app(settings, local_secret_store(settings)),
        host=settings.host,
        port=settings.port,
    )


if __name__ == "__main__":
    run(main())
