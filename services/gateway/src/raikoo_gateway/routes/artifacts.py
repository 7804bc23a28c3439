"""Downloading a run's artifacts: large outputs and the files operations wrote."""

import uuid
from collections.abc import AsyncIterator
from urllib.parse import quote

from fastapi.responses import StreamingResponse

from raikoo_common.db.engine import read_only
from raikoo_common.storage import ArtifactNotFound, InvalidArtifactKey, validate_key
from raikoo_common.storage.port import ArtifactStream
from raikoo_gateway.auth.policy import ViewerAccess
from raikoo_gateway.context import ContextDep
from raikoo_gateway.problems import Problem, not_found
from raikoo_gateway.routing import Routes
from raikoo_gateway.service import runs

router = Routes(prefix="/v1/runs", tags=["artifacts"])


@router.get("/{run_id}/artifacts/{path:path}")
async def download(
    run_id: uuid.UUID, path: str, context: ContextDep, tenant: ViewerAccess
) -> StreamingResponse:
    """Stream an artifact of the run. ``path`` is the part of its key after the run
    (``<operation>/<name>``), or the whole key of a reference."""
    async with read_only(context.engine) as conn:
        if await runs.get_run(conn, tenant, run_id) is None:
            raise not_found("run", run_id)
    if context.artifacts is None:
        raise Problem(503, "No artifact store", "this gateway has no artifact store", "no-store")
    prefix = f"{tenant.org_id}/{run_id}/"
    key = path if path.startswith(prefix) else prefix + path
    try:
        validate_key(key)
        stream = await context.artifacts.store.open(key)
    except (ArtifactNotFound, InvalidArtifactKey):
        raise not_found("artifact", path) from None
    ref = stream.ref
    name = ref.name or key.rsplit("/", 1)[-1]
    headers = {
        "content-length": str(ref.size),
        "content-disposition": f"attachment; filename*=UTF-8''{quote(name)}",
        "etag": f'"{ref.sha256}"',
    }
    return StreamingResponse(_chunks(stream), media_type=ref.content_type, headers=headers)


async def _chunks(stream: ArtifactStream) -> AsyncIterator[bytes]:
    async with stream:
        async for chunk in stream:
            yield chunk
