"""One attempt of an outbound HTTP request (``http.request``, AI tools): send, follow
redirects through the guard, read the body.

httpx never follows redirects here: each hop is built by httpx (``next_request`` applies
the method and header rules of RFC 9110), stripped of credentials if it leaves the origin
(``credentials``), and then checked by the guard before it is sent.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from raikoo_common.net import BlockedDestination, EgressGuard, safe_url
from raikoo_common.net.credentials import CredentialHeaders, for_redirect


class ResponseTooLarge(Exception):
    pass


class TooManyRedirects(Exception):
    pass


@dataclass(frozen=True)
class Exchange:
    response: httpx.Response  # closed; status, headers and url only
    content: bytes
    redirects: list[str]


async def exchange(
    client: httpx.AsyncClient,
    guard: EgressGuard,
    request: httpx.Request,
    *,
    follow_redirects: bool,
    max_redirects: int,
    max_bytes: int,
    credentials: CredentialHeaders,
) -> Exchange:
    redirects: list[str] = []
    while True:
        try:
            guard.check_url(request.url)
            response = await client.send(request, stream=True, follow_redirects=False)
        except BlockedDestination as exc:
            if not redirects:
                raise
            reason = f"it was redirected to {safe_url(request.url)}, and {exc.reason}"
            raise BlockedDestination(redirects[-1], reason, exc.address) from None
        try:
            next_request = response.next_request if follow_redirects else None
            if next_request is None:
                content = await _read_capped(response, max_bytes)
                return Exchange(response, content, redirects)
        finally:
            await response.aclose()
        if len(redirects) >= max_redirects:
            raise TooManyRedirects(
                f"stopped after {max_redirects} redirects; the next one pointed to "
                f"{public_url(next_request.url)}"
            )
        redirects.append(public_url(request.url))
        request = for_redirect(request, next_request, credentials)


async def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    # A compressed body's declared size says little about its decoded size: only screen
    # identity bodies early; the streaming count below catches the rest.
    if (
        declared.isdigit()
        and int(declared) > max_bytes
        and "content-encoding" not in response.headers
    ):
        raise ResponseTooLarge(f"the body is {declared} bytes (Content-Length)")
    content = bytearray()
    async for chunk in response.aiter_bytes():
        content += chunk
        if len(content) > max_bytes:
            raise ResponseTooLarge(f"the body exceeds {max_bytes} bytes")
    return bytes(content)


def public_url(url: httpx.URL) -> str:
    """The URL as it may appear in an output: without credentials."""
    return str(url.copy_with(userinfo=b"")) if url.userinfo else str(url)
