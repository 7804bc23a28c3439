"""Database layer: tables, engine, migrations."""

from raikoo_common.db import tables
from raikoo_common.db.engine import create_engine, normalize_url
from raikoo_common.db.migrate import current_revision, downgrade, upgrade

__all__ = [
    "create_engine",
    "current_revision",
    "downgrade",
    "normalize_url",
    "tables",
    "upgrade",
]
