"""Database layer: tables and engines. Migrations (``migrate``, which loads Alembic) and
preparing a service's engine (``prepare``) are imported from their modules."""

from raikoo_common.db import tables
from raikoo_common.db.engine import create_engine, normalize_url

__all__ = ["create_engine", "normalize_url", "tables"]
