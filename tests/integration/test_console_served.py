"""The web console's static export served beside the API: API routes keep precedence,
pages carry a policy naming their own inline scripts, and a revalidated page never comes
back with the API's policy."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from raikoo.embedded import EmbeddedRaikoo
from tests._embedded import auth_headers

INLINE = b'self.__next_f.push([1,"page"])'
PAGE = (
    b'<!DOCTYPE html><html><head><script src="/_next/static/app.js" async=""></script>'
    b'</head><body><main>Raikoo console</main><script id="_R_">'
    + INLINE
    + b"</script></body></html>"
)


def export(root: Path) -> Path:
    (root / "_next" / "static").mkdir(parents=True)
    (root / "runs").mkdir()
    (root / "index.html").write_bytes(PAGE)
    (root / "runs" / "index.html").write_bytes(PAGE.replace(b"console", b"runs"))
    (root / "404.html").write_bytes(b"<!DOCTYPE html><p>not here</p>")
    (root / "_next" / "static" / "app.js").write_text("console.log('app')")
    return root


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, str | None]]:
    console = export(tmp_path / "out")
    raikoo = EmbeddedRaikoo(data_dir=tmp_path / "data", port=0, console_dir=console)
    base_url = await raikoo.start()
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
            yield http, raikoo.local_admin_key
    finally:
        await raikoo.stop()


async def test_pages_are_served_with_a_policy_naming_their_inline_scripts(
    served: tuple[httpx.AsyncClient, str | None],
) -> None:
    http, _ = served
    page = await http.get("/")
    assert page.status_code == 200
    assert page.content == PAGE
    policy = page.headers["content-security-policy"]
    digest = base64.b64encode(hashlib.sha256(INLINE).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in policy
    assert "connect-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY"

    nested = await http.get("/runs/")
    assert b"Raikoo runs" in nested.content
    assert (await http.get("/runs", follow_redirects=False)).status_code == 307
    script = await http.get("/_next/static/app.js")
    assert script.status_code == 200
    assert "javascript" in script.headers["content-type"]
    missing = await http.get("/nowhere/")
    assert missing.status_code == 404
    assert b"not here" in missing.content


async def test_a_revalidated_page_is_sent_whole_with_its_policy(
    served: tuple[httpx.AsyncClient, str | None],
) -> None:
    http, _ = served
    first = await http.get("/")
    again = await http.get(
        "/",
        headers={
            "If-None-Match": first.headers["etag"],
            "If-Modified-Since": first.headers["last-modified"],
        },
    )
    assert again.status_code == 200
    assert again.headers["content-security-policy"] == first.headers["content-security-policy"]
    asset = await http.get("/_next/static/app.js")
    cached = await http.get(
        "/_next/static/app.js", headers={"If-None-Match": asset.headers["etag"]}
    )
    assert cached.status_code == 304


async def test_api_routes_keep_precedence(served: tuple[httpx.AsyncClient, str | None]) -> None:
    http, key = served
    unknown = await http.get("/v1/nothing-here")
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert (await http.get("/v1/workflows")).status_code == 401
    listed = await http.get("/v1/workflows", headers=auth_headers(key))
    assert listed.status_code == 200
    assert (await http.get("/healthz")).json()
    assert (await http.get("/openapi.json")).json()["info"]["title"] == "Raikoo"
    written = await http.post("/", json={})
    assert written.status_code in (404, 405)
    assert "console" not in written.text


async def test_a_console_directory_without_a_build_is_refused(tmp_path: Path) -> None:
    raikoo = EmbeddedRaikoo(data_dir=tmp_path / "data", port=0, console_dir=tmp_path)
    with pytest.raises(FileNotFoundError, match="npm --prefix web ci"):
        await raikoo.start()
    await raikoo.stop()
