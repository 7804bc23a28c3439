"""``http.request``: one HTTP call through the SSRF guard, with retries and bounded reads."""

from __future__ import annotations

from raikoo_common.runner import Kind, OperationContext
from raikoo_op_runner.kinds._http_config import HttpRequestConfig, HttpResponseOutput


async def execute(config: HttpRequestConfig, context: OperationContext) -> HttpResponseOutput:
    # The HTTP stack (httpx, the guard's transport) loads with the first call, not with the
    # catalog: a process that lists or validates kinds never needs it.
    from raikoo_op_runner.kinds._http_call import execute as call

    return await call(config, context)


KIND = Kind(
    name="http.request",
    family="programmatic",
    config=HttpRequestConfig,
    output=HttpResponseOutput,
    execute=execute,
    summary=(
        "Calls an HTTP endpoint through the SSRF guard: JSON, form or raw bodies, retries "
        "with Retry-After, redirects re-checked, response size capped."
    ),
)
