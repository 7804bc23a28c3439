"""Web sign-in through OpenID Connect (Microsoft Entra ID or any OIDC provider): the
authorization code flow with PKCE (authlib), the ID token checked against the provider's
keys (joserfc, the JOSE library of authlib's authors): signature, issuer, audience,
expiry and nonce. A person is identified by issuer and subject; a pending invitation to
their verified email address makes them a member when they sign in.
"""

from __future__ import annotations

import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from raikoo_common.clock import utcnow
from raikoo_common.db import tables as t
from raikoo_gateway.problems import Problem
from raikoo_gateway.service.access import accept_invitation_by_email

if TYPE_CHECKING:
    from joserfc.jwk import KeySet

# httpx, authlib and joserfc are imported where a sign-in needs them: a gateway that never
# signs anyone in does not pay for them at start-up (docs/benchmarks.md, Start-up).

SIGN_IN_LIFETIME = timedelta(minutes=10)


@dataclass(frozen=True)
class Provider:
    issuer: str
    client_id: str
    client_secret: str | None
    scopes: str
    trust_email: bool = False


@dataclass(frozen=True)
class Pending:
    """A sign-in the browser started: what its return must match."""

    verifier: str
    nonce: str
    next: str


def sign_in_failed(detail: str) -> Problem:
    return Problem(401, "Sign-in failed", detail, "sign-in-failed")


class OidcClient:
    """The provider's configuration and keys, read once an hour."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider
        self._metadata: tuple[float, dict[str, Any]] | None = None
        self._keys: tuple[float, KeySet] | None = None

    async def metadata(self) -> dict[str, Any]:
        if self._metadata is None or self._metadata[0] < time.monotonic():
            url = self.provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
            document = await _get_json(url)
            if document.get("issuer") != self.provider.issuer:
                raise sign_in_failed(
                    f"the provider says its issuer is {document.get('issuer')!r}, not "
                    f"{self.provider.issuer!r}"
                )
            self._metadata = (time.monotonic() + 3600, document)
        return self._metadata[1]

    async def keys(self, *, refresh: bool = False) -> KeySet:
        if refresh or self._keys is None or self._keys[0] < time.monotonic():
            from joserfc.jwk import KeySet

            document = await _get_json((await self.metadata())["jwks_uri"])
            self._keys = (time.monotonic() + 3600, KeySet.import_key_set(document))  # type: ignore[arg-type]
        return self._keys[1]

    async def begin(self, engine: AsyncEngine, redirect_uri: str, after: str) -> str:
        """Where to send the browser: the provider's authorization endpoint."""
        from authlib.oauth2.rfc7636 import create_s256_code_challenge

        endpoint = (await self.metadata())["authorization_endpoint"]  # before any transaction
        state, verifier, nonce = (secrets.token_urlsafe(32) for _ in range(3))
        async with engine.begin() as conn:
            await conn.execute(
                sa.insert(t.sign_ins).values(
                    state=state, verifier=verifier, nonce=nonce, next=after, created_at=utcnow()
                )
            )
            await conn.execute(
                sa.delete(t.sign_ins).where(t.sign_ins.c.created_at < utcnow() - SIGN_IN_LIFETIME)
            )
        query = {
            "response_type": "code",
            "client_id": self.provider.client_id,
            "redirect_uri": redirect_uri,
            "scope": self.provider.scopes,
            "state": state,
            "nonce": nonce,
            "code_challenge": create_s256_code_challenge(verifier),
            "code_challenge_method": "S256",
        }
        return f"{endpoint}?{urlencode(query)}"

    async def finish(
        self, engine: AsyncEngine, code: str, state: str, redirect_uri: str
    ) -> tuple[dict[str, Any], str]:
        """The verified claims of who signed in, and where to send them next. The sign-in
        is used up first (a replayed callback fails); no transaction is held while the
        provider is asked."""
        s = t.sign_ins.c
        async with engine.begin() as conn:
            row = (
                await conn.execute(
                    sa.delete(t.sign_ins)
                    .where(s.state == state)
                    .returning(s.verifier, s.nonce, s.next, s.created_at)
                )
            ).first()
        if row is None or row.created_at < utcnow() - SIGN_IN_LIFETIME:
            raise sign_in_failed("this sign-in expired or was already used: start again")
        tokens = await self._exchange(code, row.verifier, redirect_uri)
        claims = await self._verified_claims(tokens.get("id_token"), row.nonce)
        return claims, str(row.next)

    async def user(self, conn: AsyncConnection, claims: dict[str, Any]) -> uuid.UUID:
        """The user these claims name (made on their first sign-in); a pending invitation
        to their verified email address makes them a member."""
        email = self.verified_email(claims)
        user_id = await _user(conn, self.provider.issuer, claims, email)
        if email:
            await accept_invitation_by_email(conn, user_id, email)
        return user_id

    def verified_email(self, claims: dict[str, Any]) -> str | None:
        email = claims.get("email")
        if not isinstance(email, str) or "@" not in email:
            return None
        if claims.get("email_verified") is True or self.provider.trust_email:
            return email.lower()
        return None

    async def _exchange(self, code: str, verifier: str, redirect_uri: str) -> dict[str, Any]:
        import httpx

        endpoint = (await self.metadata())["token_endpoint"]
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
            "client_id": self.provider.client_id,
        }
        secret = self.provider.client_secret
        auth = httpx.BasicAuth(self.provider.client_id, secret) if secret else None
        async with httpx.AsyncClient(timeout=15, auth=auth) as http:
            response = await http.post(endpoint, data=form)
        if response.status_code != 200:
            raise sign_in_failed(
                f"the provider refused the code ({response.status_code}): {response.text[:300]}"
            )
        tokens: dict[str, Any] = response.json()
        return tokens

    async def _verified_claims(self, id_token: object, nonce: str) -> dict[str, Any]:
        if not isinstance(id_token, str):
            raise sign_in_failed("the provider sent no ID token")
        from joserfc import jwt
        from joserfc.errors import JoseError

        try:
            try:
                token = jwt.decode(id_token, await self.keys())
            except JoseError:  # keys rotate: read them again once
                token = jwt.decode(id_token, await self.keys(refresh=True))
            registry = jwt.JWTClaimsRegistry(
                iss={"essential": True, "value": self.provider.issuer},
                aud={"essential": True, "value": self.provider.client_id},
                sub={"essential": True},
                exp={"essential": True},
                nonce={"essential": True, "value": nonce},
            )
            registry.validate(token.claims)
        except (JoseError, ValueError) as exc:
            raise sign_in_failed(f"the ID token is not valid: {exc}") from None
        return dict(token.claims)


async def _user(
    conn: AsyncConnection, issuer: str, claims: dict[str, Any], email: str | None
) -> uuid.UUID:
    u = t.users.c
    subject = str(claims["sub"])
    name = str(
        claims.get("name") or claims.get("preferred_username") or claims.get("email") or subject
    )[:200]
    found = await conn.scalar(sa.select(u.id).where(u.issuer == issuer, u.subject == subject))
    now = utcnow()
    if found is not None:
        await conn.execute(
            sa.update(t.users).where(u.id == found).values(name=name, email=email, last_seen_at=now)
        )
        return uuid.UUID(str(found))
    user_id = uuid.uuid4()
    await conn.execute(
        sa.insert(t.users).values(
            id=user_id,
            email=email,
            name=name,
            issuer=issuer,
            subject=subject,
            created_at=now,
            last_seen_at=now,
        )
    )
    return user_id


async def _get_json(url: str) -> dict[str, Any]:
    import httpx

    try:
        async with httpx.AsyncClient(timeout=15) as http:
            response = await http.get(url)
            response.raise_for_status()
            document: dict[str, Any] = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise Problem(
            503, "Sign-in unavailable", f"the OIDC provider did not answer: {exc}", "unavailable"
        ) from None
    return document
