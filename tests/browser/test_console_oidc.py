"""Signing in to the console with OIDC (a local provider speaking the real protocol): the
session cookie authenticates the console, its writes carry the CSRF token, and signing out
ends the session (web/tests/browser/console.oidc.mjs)."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import httpx

from tests._budget import WAIT_SECONDS
from tests.browser._console import WEB, browser_env, raikoo_up_serving
from tests.integration._oidc_provider import CLIENT_ID, CLIENT_SECRET, oidc_provider


async def test_a_person_signs_in_with_oidc_and_saves_a_workflow(
    console_build: Path, tmp_path: Path
) -> None:
    node = shutil.which("node")
    assert node is not None
    async with oidc_provider() as provider:
        settings = {
            "RAIKOO_OIDC_ISSUER": provider.issuer,
            "RAIKOO_OIDC_CLIENT_ID": CLIENT_ID,
            "RAIKOO_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        }
        with raikoo_up_serving(console_build, tmp_path, settings) as (url, key):
            async with httpx.AsyncClient(
                base_url=url, headers={"Authorization": f"Bearer {key}"}
            ) as admin:
                invited = await admin.post(
                    "/v1/invitations", json={"email": provider.person.email, "role": "editor"}
                )
                assert invited.status_code == 201, invited.text
                script = str(WEB / "tests" / "browser" / "console.oidc.mjs")
                process = await asyncio.create_subprocess_exec(
                    node,
                    script,
                    env=browser_env(url, key, tmp_path),
                    cwd=WEB,
                    stdout=asyncio.subprocess.PIPE,
                    stderr=asyncio.subprocess.PIPE,
                )
                out, err = await asyncio.wait_for(process.communicate(), WAIT_SECONDS * 3)
                assert process.returncode == 0, out.decode()[-4000:] + err.decode()[-4000:]
                stored = await admin.get("/v1/audit", params={"action": "workflow.stored"})
                actors = [event["actor"] for event in stored.json()["items"]]
                assert actors == [provider.person.name]
