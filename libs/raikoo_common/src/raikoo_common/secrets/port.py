"""The secret store as services see it: values by organization, optionally by project.

A secret is organization-wide or belongs to one project of the organization. A run of a
project sees the organization's secrets and its own project's, the project's winning where
both hold a name; another project's secret is invisible to it — indistinguishable from a
missing one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Protocol

from pydantic import AwareDatetime, BaseModel, ConfigDict


class SecretUnavailable(LookupError):
    """A secret is missing, or no store can be read."""


class SecretInfo(BaseModel):
    """What may be known of a secret without reading its value."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    project_id: uuid.UUID | None = None
    """None for an organization-wide secret."""
    updated_at: AwareDatetime | None = None
    """When its value was last written; None where the store does not know (a secret
    written before Raikoo kept the time)."""


class SecretStore(Protocol):
    """``project_id`` None means the organization-wide scope; a project's id its own."""

    async def values(
        self, org_id: uuid.UUID, names: Iterable[str], *, project_id: uuid.UUID | None
    ) -> dict[str, str]:
        """The named secrets' values as a run of ``project_id`` sees them (its own secret of
        a name over the organization's); ``SecretUnavailable`` naming every missing one."""

    async def put(
        self, org_id: uuid.UUID, name: str, value: str, *, project_id: uuid.UUID | None
    ) -> None:
        """Write one secret of exactly this scope; ``ValueError`` for a name that is not one."""

    async def delete(self, org_id: uuid.UUID, name: str, *, project_id: uuid.UUID | None) -> bool:
        """Remove one secret of exactly this scope; False when it has none of that name."""

    async def entries(
        self,
        org_id: uuid.UUID,
        *,
        project_id: uuid.UUID | None,
        after: str | None = None,
        limit: int | None = None,
    ) -> list[SecretInfo]:
        """The secrets of exactly this scope, by name: those after ``after``, at most
        ``limit``."""


def missing(names: Iterable[str]) -> SecretUnavailable:
    """The error for secrets a run cannot see: the same whether a name exists nowhere or
    only in another project, so a run learns nothing of other projects."""
    return SecretUnavailable(
        f"no secret named {', '.join(sorted(names))} in this project or its organization"
    )


def page(infos: list[SecretInfo], after: str | None, limit: int | None) -> list[SecretInfo]:
    """``infos`` (sorted by name) after ``after``, at most ``limit`` of them."""
    found = [info for info in infos if after is None or info.name > after]
    return found if limit is None else found[:limit]
