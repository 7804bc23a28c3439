"""Checks for running a service as its own process (distributed mode)."""

from raikoo_common.bus import Bus, create_bus
from raikoo_common.settings import ServiceSettings


class ConfigurationError(RuntimeError):
    pass


def distributed_bus(settings: ServiceSettings, service: str) -> Bus:
    if settings.bus_url.startswith("memory:"):
        raise ConfigurationError(
            f"{service}: RAIKOO_BUS_URL is memory://, which only connects services inside one "
            "process. Set RAIKOO_BUS_URL=amqp://user:pass@host:5672/ to run services as "
            "separate processes, or use `raikoo up` for everything in one process."
        )
    return create_bus(
        settings.bus_url,
        prefix=settings.bus_prefix,
        redelivery_backoff=settings.bus_redelivery_backoff_seconds,
    )


def require_shared_database(settings: ServiceSettings, service: str) -> None:
    """Separate processes must share one PostgreSQL: refuse what would quietly split them."""
    url = settings.database_url
    if not url or url.startswith("sqlite"):
        what = "is not set" if not url else f"is SQLite ({url})"
        raise ConfigurationError(
            f"{service}: RAIKOO_DATABASE_URL {what}. Services in separate processes share one "
            "PostgreSQL database: set RAIKOO_DATABASE_URL=postgresql://user@host:5432/raikoo, "
            "or use `raikoo up` to run everything in one process on SQLite."
        )


def require_shared_blob_store(settings: ServiceSettings, service: str) -> None:
    """Separate processes must share one artifact store; a directory under each one's own
    data dir would lose every large value that crosses processes."""
    if not settings.blob_url:
        raise ConfigurationError(
            f"{service}: RAIKOO_BLOB_URL is not set. Services in separate processes share one "
            "artifact store: set RAIKOO_BLOB_URL=azure://<container> (with "
            "RAIKOO_BLOB_ACCOUNT_URL or RAIKOO_BLOB_CONNECTION_STRING), or "
            "file:///path on a file system every process sees."
        )
