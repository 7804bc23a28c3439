"""The schema migrates up, down and up again on every supported database driver."""

from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from raikoo_common.db import create_engine, tables
from raikoo_common.db.migrate import HEAD, alembic_config, current_revision, downgrade, upgrade


@pytest.fixture(
    params=[
        "sqlite-inline",
        "sqlite-aiosqlite",
        pytest.param("postgres", marks=pytest.mark.integration),
    ]
)
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncEngine:
    if request.param == "postgres":
        make: Callable[[], str] = request.getfixturevalue("make_postgres_database")
        url = make()
    elif request.param == "sqlite-aiosqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}"
    else:
        url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    return create_engine(url)


async def test_upgrade_downgrade_upgrade(engine: AsyncEngine) -> None:
    try:
        await upgrade(engine)
        assert await current_revision(engine) is not None
        async with engine.connect() as conn:
            names = set(await conn.run_sync(lambda c: sa.inspect(c).get_table_names()))
        assert set(tables.metadata.tables) <= names
        await downgrade(engine, "base")
        assert await current_revision(engine) is None
        await upgrade(engine)
        await upgrade(engine)  # idempotent
        async with engine.connect() as conn:
            columns = await conn.run_sync(
                lambda c: {col["name"] for col in sa.inspect(c).get_columns("operation_runs")}
            )
        assert {"org_id", "project_id", "run_id", "attempt"} <= columns
    finally:
        await engine.dispose()


def test_unsupported_url_is_refused_with_the_supported_list() -> None:
    with pytest.raises(ValueError, match="mysql"):
        create_engine("mysql://localhost/x")


async def test_migrations_build_exactly_the_declared_schema(engine: AsyncEngine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    def differences(sync_conn: sa.Connection) -> list[object]:
        context = MigrationContext.configure(sync_conn, opts={"compare_type": False})
        return list(compare_metadata(context, tables.metadata))

    try:
        await upgrade(engine)
        async with engine.connect() as conn:
            assert await conn.run_sync(differences) == []
    finally:
        await engine.dispose()


def test_head_names_the_newest_migration() -> None:
    """Start-up skips Alembic when the database is at HEAD: HEAD must be Alembic's head."""
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD
