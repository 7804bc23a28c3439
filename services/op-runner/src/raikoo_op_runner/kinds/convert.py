"""``convert``: data between CSV, TSV, JSON, JSON Lines, YAML, XML, Markdown and HTML tables,
and text out of PDF, DOCX, XLSX, PPTX and HTML documents.

The conversion runs in a worker process (``raikoo_op_runner.workers``, job ``convert``)
with its own memory and CPU limits, which the operation's timeout kills on time. It
returns its output already written as JSON: a large result reaches the artifact store as
those bytes, never built in the runner's event loop. A conversion takes no secrets (its
config has no credential field), so its output has nothing to mask.
"""

from __future__ import annotations

from raikoo_common.runner import JsonBytes, Kind, OperationContext, OperationError
from raikoo_op_runner.kinds._convert.config import ConvertConfig, ConvertOutput
from raikoo_op_runner.kinds._convert.errors import ConversionFailed
from raikoo_op_runner.kinds._convert.inputs import resolve_input
from raikoo_op_runner.workers import WorkerFailed, run_job

__all__ = ["KIND", "ConvertConfig", "ConvertOutput", "execute"]

_INPUT_FIELDS = {"data", "data_base64"}


async def execute(config: ConvertConfig, context: OperationContext) -> JsonBytes:
    try:
        source = await resolve_input(config, context.artifacts)
    except ConversionFailed as failure:
        raise OperationError(str(failure), kind=failure.kind, retryable=False) from None
    from raikoo_op_runner.settings import current_settings

    try:
        shape, payload = source.payload()
    except TypeError as exc:  # orjson: an integer past 64 bits, from a template
        message = f"convert: `data` is not JSON a conversion can read: {exc}"
        raise OperationError(message, kind="invalid_input", retryable=False) from None
    request = {
        "job": "convert",
        "config": config.model_dump(by_alias=True, exclude=_INPUT_FIELDS),
        "input": shape,
    }
    settings = current_settings()
    memory = settings.convert_memory_mib
    try:
        reply = await run_job(
            request, payload, cpu_seconds=settings.convert_seconds, memory_bytes=memory * 2**20
        )
    except WorkerFailed as failure:
        raise _stopped(failure, settings.convert_seconds) from None
    if "error" in reply.message:
        error = reply.message["error"]
        if error.get("limit") == "memory":
            raise OperationError(
                f"convert: the conversion needed more than the {memory:,} MiB of memory a "
                "conversion may use (RAIKOO_CONVERT_MEMORY_MIB); convert a smaller input",
                kind="invalid_input",
                retryable=False,
            )
        raise OperationError(error["message"], kind=error["kind"], retryable=False)
    done = reply.message["ok"]
    context.log.debug(
        "converted",
        source_format=done["source_format"],
        to=done["format"],
        input_bytes=source.size,
        rows=done["rows"],
        output_bytes=len(reply.payload),
    )
    return JsonBytes(reply.payload)


def _stopped(failure: WorkerFailed, cpu_seconds: float) -> OperationError:
    if failure.cause == "cpu":
        message = (
            f"convert: the conversion used more than the {cpu_seconds:g} s of CPU time a "
            "conversion may use (RAIKOO_CONVERT_SECONDS) and was stopped"
        )
        return OperationError(message, kind="timeout", retryable=False)
    if failure.cause == "wall":
        message = f"convert: the conversion was stopped: {failure}"
        return OperationError(message, kind="timeout", retryable=False)
    message = f"convert: the conversion did not finish: {failure}"
    return OperationError(message, kind="error", retryable=failure.cause == "stopping")


KIND = Kind(
    name="convert",
    family="programmatic",
    config=ConvertConfig,
    output=ConvertOutput,
    execute=execute,
    summary=(
        "Converts data between CSV, TSV, JSON, JSON Lines, YAML, XML, Markdown and HTML tables, "
        "and extracts text or Markdown from PDF, DOCX, XLSX, PPTX and HTML documents."
    ),
)
