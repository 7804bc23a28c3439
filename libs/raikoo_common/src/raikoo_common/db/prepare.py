"""A service's database engine, ready to use: the schema upgraded when it is behind."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.db.engine import create_engine
from raikoo_common.db.migrate import upgrade
from raikoo_common.settings import ServiceSettings


async def prepared_engine(settings: ServiceSettings, *, pre_ping: bool = False) -> AsyncEngine:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_engine(settings.resolved_database_url(), pre_ping=pre_ping)
    if settings.auto_migrate:
        await upgrade(engine)
    return engine
