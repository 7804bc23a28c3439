"""What the API answers about who calls, organizations, projects, members, invitations,
API keys and the audit log."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from raikoo_common.roles import Role


class Me(BaseModel):
    kind: str = Field(description="key or user")
    id: uuid.UUID
    name: str
    role: Role
    organization: str
    project: uuid.UUID
    project_bound: bool = Field(description="Whether this caller acts in this project only")


class Organization(BaseModel):
    id: uuid.UUID
    slug: str
    name: str
    created_at: datetime


class Membership(Organization):
    role: Role = Field(description="The signed-in person's role in it")


class Project(BaseModel):
    id: uuid.UUID
    slug: str
    name: str
    created_at: datetime


class Member(BaseModel):
    user_id: uuid.UUID
    name: str
    email: str | None
    role: Role
    created_at: datetime


class Invitation(BaseModel):
    id: uuid.UUID
    email: str
    role: Role
    invited_by: str
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None


class InvitationCreated(Invitation):
    token: str = Field(description="Shown once: the invitee accepts with it after signing in")


class Key(BaseModel):
    id: uuid.UUID
    name: str
    role: Role
    prefix: str = Field(description="The visible start of the key, to recognise it")
    project: str | None
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class KeyCreated(Key):
    key: str = Field(description="The whole key: shown once, stored only as a hash")


class AuditEvent(BaseModel):
    id: int
    at: datetime
    actor: str
    actor_id: str
    action: str
    target: str | None
    project_id: uuid.UUID | None
    details: dict[str, Any] | None
