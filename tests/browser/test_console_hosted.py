"""The console hosted apart from the gateway (docs/console.md, "Hosted"): built with
``NEXT_PUBLIC_RAIKOO_API_URL`` naming a gateway on another origin and served as plain static
files by a server of its own, it signs in with an API key and works against that gateway,
which lists the console's origin in ``RAIKOO_ALLOWED_ORIGINS``. The same files served from
an origin the gateway does not list cannot use the API, and say so instead of a blank page
(web/tests/browser/hosted.e2e.mjs)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests._budget import WAIT_SECONDS
from tests.browser._console import (
    browser_env,
    build_console,
    raikoo_up_serving,
    run_browser_script,
)
from tests.e2e._stack import free_port


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return


@contextmanager
def static_host(directory: Path, host: str) -> Iterator[str]:
    """A plain static file server for ``directory`` on ``host`` (what a CDN would be)."""
    server = ThreadingHTTPServer((host, 0), partial(_Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_console_hosted_on_another_origin_works_against_the_gateway(tmp_path: Path) -> None:
    gateway_port = free_port()
    gateway = f"http://127.0.0.1:{gateway_port}"
    out = build_console(tmp_path / "hosted", gateway)
    with (
        static_host(out, "127.0.0.2") as console,
        static_host(out, "127.0.0.3") as foreign,
        raikoo_up_serving(
            out,  # it serves a console too; the one under test is the static host's
            tmp_path,
            {"RAIKOO_ALLOWED_ORIGINS": json.dumps([console])},
            port=gateway_port,
        ) as (url, key),
    ):
        assert url == gateway
        env = {
            **browser_env(url, key, tmp_path),
            "CONSOLE_URL": console,
            "FOREIGN_CONSOLE_URL": foreign,
        }
        run_browser_script("hosted.e2e.mjs", env, WAIT_SECONDS * 3)
