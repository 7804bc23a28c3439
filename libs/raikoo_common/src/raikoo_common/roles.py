"""The roles a member or an API key holds in an organization, least to most."""

from __future__ import annotations

from typing import Literal

Role = Literal["viewer", "editor", "admin", "owner"]
ROLE_RANK: dict[str, int] = {"viewer": 0, "editor": 1, "admin": 2, "owner": 3}
