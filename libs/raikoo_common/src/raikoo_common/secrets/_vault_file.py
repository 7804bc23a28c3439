"""What one organization's encrypted secrets file holds, in every format Raikoo wrote.

Format 2 (``{"$format": 2, "organization": {...}, "projects": {"<uuid>": {...}}}``) keeps
the organization-wide secrets apart from each project's, with the time each was written.
The first format was a plain ``{name: value}`` map, all organization-wide: it is still read
as such (``$`` cannot start a secret name, so the two never mix), and written back in
format 2 on the next change.
"""

from __future__ import annotations

import uuid
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from raikoo_common.secrets.port import SecretInfo, SecretUnavailable

FORMAT = 2
_FORMAT_KEY = "$format"


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: str
    updated_at: AwareDatetime | None = None
    """None for a secret written before Raikoo kept the time."""


Scope = dict[str, Entry]


class VaultFile(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    format: Literal[2] = Field(default=2, alias=_FORMAT_KEY)
    organization: Scope = Field(default_factory=dict)
    projects: dict[uuid.UUID, Scope] = Field(default_factory=dict)

    def scope(self, project_id: uuid.UUID | None) -> Scope:
        """The secrets of exactly one scope (a fresh empty map when it has none)."""
        if project_id is None:
            return self.organization
        return self.projects.get(project_id, {})

    def writable(self, project_id: uuid.UUID | None) -> Scope:
        if project_id is None:
            return self.organization
        return self.projects.setdefault(project_id, {})

    def forget_empty(self, project_id: uuid.UUID | None) -> None:
        if project_id is not None and not self.projects.get(project_id):
            self.projects.pop(project_id, None)

    def visible(self, project_id: uuid.UUID | None) -> Scope:
        """What a run of ``project_id`` sees: the organization's secrets, each overridden
        by the project's own of the same name; no other project's."""
        return {**self.organization, **self.scope(project_id)}

    def infos(self, project_id: uuid.UUID | None) -> list[SecretInfo]:
        return [
            SecretInfo(name=name, project_id=project_id, updated_at=entry.updated_at)
            for name, entry in sorted(self.scope(project_id).items())
        ]

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


def load(data: Any, org_id: uuid.UUID) -> VaultFile:
    """The decrypted JSON of ``org_id``'s file, in whichever format it was written."""
    if isinstance(data, dict) and _FORMAT_KEY not in data:
        if all(isinstance(value, str) for value in data.values()):
            return VaultFile(
                organization={name: Entry(value=value) for name, value in data.items()}
            )
    elif isinstance(data, dict) and data[_FORMAT_KEY] != FORMAT:
        raise SecretUnavailable(
            f"the secrets of org {org_id} are in format {data[_FORMAT_KEY]!r}, which this "
            f"Raikoo does not know (it reads formats 1 and {FORMAT}): was it written by a "
            "newer version?"
        )
    try:
        return VaultFile.model_validate(data)
    except ValidationError as exc:
        raise SecretUnavailable(
            f"the secrets file of org {org_id} is not one Raikoo wrote: {exc.error_count()} "
            f"problem(s), first at {'.'.join(map(str, exc.errors()[0]['loc'])) or 'the top'}"
        ) from None
