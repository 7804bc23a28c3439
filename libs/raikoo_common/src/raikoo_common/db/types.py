"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect


class UtcDateTime(sa.TypeDecorator[datetime]):
    """Timezone-aware UTC in and out; SQLite would otherwise hand back naive values."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    @property
    def python_type(self) -> type[datetime]:
        # A TypeDecorator says ``object`` otherwise: cursor pagination reads this to turn a
        # cursor's text back into a datetime parameter.
        return datetime

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


Json: sa.types.TypeEngine[Any] = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BigId: sa.types.TypeEngine[int] = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


class Xid8(sa.types.UserDefinedType[int]):
    """PostgreSQL's 64-bit transaction id (``xid8``): which transaction wrote a row, so a
    reader can tell rows of transactions still open from rows it may rely on. SQLite (one
    writer at a time) has no use for it: the column stays empty there."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "xid8"


TransactionId: sa.types.TypeEngine[int] = Xid8().with_variant(sa.BigInteger(), "sqlite")

# Reflection (Alembic's schema comparison) then knows the type instead of warning.
postgresql.base.ischema_names.setdefault("xid8", Xid8)
