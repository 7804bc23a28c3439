"""Signing in to the console through OpenID Connect, against a local provider that speaks the
protocol (discovery, PKCE S256, RS256 ID tokens): an invited person signs in and is a
member; a session's writes need its CSRF token; a foreign page, a replayed callback and a
token for another nonce are refused; signing out ends the session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from raikoo.embedded import EmbeddedRaikoo
from tests._embedded import embedded_client
from tests.integration._oidc_provider import (
    CLIENT_ID,
    CLIENT_SECRET,
    Person,
    Provider,
    oidc_provider,
)

WORKFLOW = {"name": "hello", "operations": {"a": {"uses": "noop"}}}


@dataclass
class World:
    raikoo: EmbeddedRaikoo
    admin: httpx.AsyncClient
    provider: Provider


@pytest.fixture
async def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[World]:
    async with oidc_provider() as provider:
        monkeypatch.setenv("RAIKOO_OIDC_ISSUER", provider.issuer)
        monkeypatch.setenv("RAIKOO_OIDC_CLIENT_ID", CLIENT_ID)
        monkeypatch.setenv("RAIKOO_OIDC_CLIENT_SECRET", CLIENT_SECRET)
        async with embedded_client(tmp_path) as (raikoo, admin):
            yield World(raikoo, admin, provider)


async def sign_in(world: World, browser: httpx.AsyncClient, next: str = "/runs") -> httpx.Response:
    """A browser's round: Raikoo → the provider → Raikoo's callback; the callback's answer."""
    login = await browser.get("/v1/auth/login", params={"next": next})
    assert login.status_code == 302, login.text
    assert login.headers["location"].startswith(f"{world.provider.issuer}/authorize?")
    at_provider = await browser.get(login.headers["location"])
    assert at_provider.status_code == 302, at_provider.text
    return await browser.get(at_provider.headers["location"])


def a_browser(world: World) -> httpx.AsyncClient:
    assert world.raikoo.base_url is not None
    return httpx.AsyncClient(base_url=world.raikoo.base_url, timeout=30)


async def test_an_invited_person_signs_in_works_and_signs_out(world: World) -> None:
    invited = await world.admin.post(
        "/v1/invitations", json={"email": "Ada@Example.com", "role": "editor"}
    )
    assert invited.status_code == 201, invited.text
    async with a_browser(world) as browser:
        back = await sign_in(world, browser)
        assert back.status_code == 302, back.text
        assert back.headers["location"] == "/runs"
        request = world.provider.token_requests[-1]
        assert request["code_verifier"], "the code was exchanged with its PKCE verifier"
        assert browser.cookies.get("raikoo_session")
        csrf = browser.cookies.get("raikoo_csrf")
        assert csrf

        me = await browser.get("/v1/me")
        assert me.status_code == 200, me.text
        assert me.json() | {"id": None, "project": None} == {
            "kind": "user",
            "id": None,
            "name": "Ada Lovelace",
            "role": "editor",
            "organization": "default",
            "project": None,
            "project_bound": False,
        }

        without = await browser.post("/v1/workflows", json=WORKFLOW)
        assert without.status_code == 403
        assert without.json()["type"].endswith("/csrf")
        stored = await browser.post("/v1/workflows", json=WORKFLOW, headers={"X-CSRF-Token": csrf})
        assert stored.status_code == 201, stored.text
        foreign = await browser.post(
            "/v1/workflows",
            json=WORKFLOW,
            headers={"X-CSRF-Token": csrf, "Origin": "https://evil.example"},
        )
        assert foreign.status_code == 403
        assert foreign.json()["type"].endswith("/origin-refused")
        beyond_role = await browser.post(
            "/v1/projects", json={"slug": "x", "name": "X"}, headers={"X-CSRF-Token": csrf}
        )
        assert beyond_role.status_code == 403, "an editor manages no projects"

        members = (await world.admin.get("/v1/members")).json()["items"]
        assert {"name": "Ada Lovelace", "email": "ada@example.com", "role": "editor"}.items() <= (
            next(m for m in members if m["name"] == "Ada Lovelace").items()
        )

        joined = await world.admin.get("/v1/audit", params={"action": "member.joined"})
        assert [(e["actor"], e["details"]["role"]) for e in joined.json()["items"]] == [
            ("Ada Lovelace", "editor")
        ]
        stored_by = await world.admin.get("/v1/audit", params={"action": "workflow.stored"})
        assert [e["actor"] for e in stored_by.json()["items"]] == ["Ada Lovelace"]

        out = await browser.post("/v1/auth/logout")
        assert out.status_code == 204
        assert (await browser.get("/v1/me")).status_code == 401


async def test_a_replayed_callback_and_a_token_for_another_nonce_sign_nobody_in(
    world: World,
) -> None:
    await world.admin.post("/v1/invitations", json={"email": "ada@example.com", "role": "viewer"})
    async with a_browser(world) as browser:
        login = await browser.get("/v1/auth/login")
        callback = (await browser.get(login.headers["location"])).headers["location"]
        assert (await browser.get(callback)).status_code == 302
        browser.cookies.clear()
        replayed = await browser.get(callback)
        assert replayed.status_code == 401
        assert "already used" in replayed.json()["detail"]
        assert not browser.cookies.get("raikoo_session")

        world.provider.wrong_nonce = True
        refused = await sign_in(world, browser)
        assert refused.status_code == 401
        assert "nonce" in refused.json()["detail"]
        assert not browser.cookies.get("raikoo_session")


async def test_an_uninvited_person_signs_in_but_belongs_nowhere(world: World) -> None:
    world.provider.person = Person(subject="eve-9", email="eve@example.com", name="Eve")
    async with a_browser(world) as browser:
        assert (await sign_in(world, browser)).status_code == 302
        me = await browser.get("/v1/me")
        assert me.status_code == 403
        assert "no organization" in me.json()["detail"]
        assert (await browser.get("/v1/runs")).status_code == 403
        assert (await browser.get("/v1/organizations")).json()["items"] == []

        csrf = {"X-CSRF-Token": browser.cookies["raikoo_csrf"]}
        org = {"slug": "eve-co", "name": "Eve & Co"}
        assert (await browser.post("/v1/organizations", json=org)).status_code == 403, "CSRF"
        made = await browser.post("/v1/organizations", json=org, headers=csrf)
        assert made.status_code == 201, made.text
        taken = await browser.post("/v1/organizations", json=org, headers=csrf)
        assert taken.status_code == 409
        mine = (await browser.get("/v1/organizations")).json()["items"]
        assert [(o["slug"], o["role"]) for o in mine] == [("eve-co", "owner")]
        me = (await browser.get("/v1/me")).json()
        assert (me["organization"], me["role"]) == ("eve-co", "owner")
        assert (await browser.get("/v1/runs")).json()["items"] == [], "her own, empty"

        token = (
            await world.admin.post(
                "/v1/invitations", json={"email": "someone@example.com", "role": "viewer"}
            )
        ).json()["token"]
        joined = await browser.post(
            "/v1/auth/invitations/accept", json={"token": token}, headers=csrf
        )
        assert joined.status_code == 200, joined.text
        two = await browser.get("/v1/me")
        assert two.status_code == 400, "two organizations: the header picks one"
        assert "yours: default, eve-co" in two.json()["detail"]
        picked = await browser.get("/v1/me", headers={"Raikoo-Organization": "default"})
        assert (picked.json()["organization"], picked.json()["role"]) == ("default", "viewer")
        reused = await browser.post(
            "/v1/auth/invitations/accept", json={"token": token}, headers=csrf
        )
        assert reused.status_code == 404

    keyed = await world.admin.get("/v1/organizations")
    assert keyed.status_code == 401, "a person's organizations: for a signed-in person"


async def test_a_next_address_off_this_site_is_not_followed(world: World) -> None:
    await world.admin.post("/v1/invitations", json={"email": "ada@example.com", "role": "viewer"})
    async with a_browser(world) as browser:
        back = await sign_in(world, browser, next="https://evil.example/steal")
        assert back.status_code == 302
        assert back.headers["location"] == "/", "sent to the console instead"


async def test_sign_in_says_it_is_off_without_a_provider(tmp_path: Path) -> None:
    async with embedded_client(tmp_path) as (raikoo, _):
        assert raikoo.base_url is not None
        async with httpx.AsyncClient(base_url=raikoo.base_url) as browser:
            config = await browser.get("/v1/auth/config")
            assert config.json() == {"oidc": False, "login_url": None}
            login = await browser.get("/v1/auth/login")
            assert login.status_code == 404
            assert "RAIKOO_OIDC_ISSUER" in login.json()["detail"]
