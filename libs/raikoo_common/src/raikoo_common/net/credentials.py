"""What of a request must not follow a redirect to another origin: credentials and the body.

httpx drops only ``Authorization`` there (and keeps it on an http→https upgrade), and 307
and 308 resend the body wherever they point. A server that redirects elsewhere — hijacked,
or an open redirect — would then receive an ``X-Api-Key``, a cookie or a signed payload
meant for the first. Another origin is another scheme, host or port.
"""

from __future__ import annotations

import re

import httpx

from raikoo_common.secrets import holds_secret

DEFAULT_CREDENTIAL_HEADERS = (
    "Authorization",
    "Proxy-Authorization",
    "Cookie",
    "X-Api-Key",
    "Api-Key",
    "X-Auth-Token",
    "X-Access-Token",
    "X-Amz-Security-Token",
    "X-Goog-Api-Key",
    "Ocp-Apim-Subscription-Key",
    "X-Functions-Key",
    "Private-Token",
    "X-Vault-Token",
    "X-CSRF-Token",
    "X-XSRF-Token",
)
# Names that say "credential" in their own words catch what no list foresees.
_CREDENTIAL_NAME = re.compile(
    r"auth|token|secret|passw|api-?key|access-?key|session|cookie|signature|credential", re.I
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


class RedirectRefused(Exception):
    pass


class CredentialHeaders:
    """Which headers of one request are credentials: by name (a configured list, or a name
    that says so) or because their value held a secret of the operation."""

    def __init__(self, names: list[str] | tuple[str, ...], headers: list[tuple[str, str]]) -> None:
        self.names = {name.lower() for name in names}
        self.names.update(name.lower() for name, value in headers if holds_secret(value))

    def __contains__(self, name: str) -> bool:
        return name.lower() in self.names or _CREDENTIAL_NAME.search(name) is not None


def origin(url: httpx.URL) -> tuple[str, str, int | None]:
    return url.scheme, url.host, url.port or _DEFAULT_PORTS.get(url.scheme)


def for_redirect(
    previous: httpx.Request, following: httpx.Request, credentials: CredentialHeaders
) -> httpx.Request:
    """``following`` (httpx's next request) made safe to send; raises ``RedirectRefused``
    for a body that would go to another origin."""
    if origin(previous.url) == origin(following.url):
        return following
    if _has_body(following):
        raise RedirectRefused(
            f"{previous.method} was redirected to another origin, "
            f"{origin_text(following.url)}, with the method and body kept (a 307 or 308, or "
            "a 301 of a method other than POST); the body is sent to the origin it was "
            "written for only. Request that URL directly, or set follow_redirects: false "
            "to get the redirect as the response"
        )
    for name in {name for name in following.headers if name in credentials}:
        del following.headers[name]
    return following


def origin_text(url: httpx.URL) -> str:
    return f"{url.scheme}://{url.netloc.decode('ascii')}"  # netloc: no user:password


def _has_body(request: httpx.Request) -> bool:
    # httpx removes both when a redirect turns the request into a bodiless GET.
    length = request.headers.get("content-length", "0")
    return "transfer-encoding" in request.headers or (length.isdigit() and int(length) > 0)
