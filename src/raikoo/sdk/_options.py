"""What both clients are built from: the server, the headers (the key among them), the
timeouts and the retry policy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import httpx

from raikoo.credentials import api_key_for, server_for
from raikoo.sdk._retry import Retry

USER_AGENT = "raikoo-python"
DEFAULT_TIMEOUT = 30.0


@dataclass(frozen=True)
class Options:
    base_url: str
    headers: dict[str, str]
    timeout: httpx.Timeout
    retry: Retry


def resolve(
    base_url: str | None,
    api_key: str | None,
    *,
    profile: str | None,
    data_dir: Path | None,
    project: str | None,
    organization: str | None,
    timeout: float | httpx.Timeout,
    retry: Retry | None,
) -> Options:
    url = server_for(base_url, profile)
    key = api_key_for(url, data_dir, api_key, profile)
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    if project:
        headers["Raikoo-Project"] = project
    if organization:
        headers["Raikoo-Organization"] = organization
    limits = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
    return Options(url, headers, limits, retry or Retry())


class ClientBase:
    """What both clients are built from; each makes its own httpx client (``_connect``).
    ``base_url``, ``api_key``: as ``raikoo.credentials`` finds them when not given
    (``RAIKOO_SERVER_URL``/``RAIKOO_API_KEY``, the ``profile`` ``raikoo login`` saved,
    the local admin key of a Raikoo on this machine). ``project``/``organization``: act
    in that project or organization (slugs)."""

    def __init__(
        self,
        base_url: str | None = None,
        api_key: str | None = None,
        *,
        profile: str | None = None,
        data_dir: Path | None = None,
        project: str | None = None,
        organization: str | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: Retry | None = None,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
    ) -> None:
        options = resolve(
            base_url,
            api_key,
            profile=profile,
            data_dir=data_dir,
            project=project,
            organization=organization,
            timeout=timeout,
            retry=retry,
        )
        self.base_url = options.base_url
        self._retry, self._timeout = options.retry, options.timeout
        self._connect(options, transport)

    def _connect(
        self, options: Options, transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None
    ) -> None:
        raise NotImplementedError


def stream_timeout(timeout: httpx.Timeout, read: float | None) -> httpx.Timeout:
    """An event stream waits for events as long as the run takes (or ``read``)."""
    return httpx.Timeout(connect=timeout.connect, read=read, write=timeout.write, pool=timeout.pool)
