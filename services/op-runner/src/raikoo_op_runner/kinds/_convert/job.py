"""A conversion as a worker job (``raikoo_op_runner.workers``): it parses, extracts and
writes in the worker process, and returns the output already written as JSON, so that the
op-runner passes a large result on as bytes instead of building it in its event loop.

The request carries the config (without its input) and how the payload holds the input
(``Source.payload``).
"""

from __future__ import annotations

import sys
import traceback
from typing import Any

import orjson

from raikoo_op_runner.kinds._convert.config import ConvertConfig, ConvertOutput
from raikoo_op_runner.kinds._convert.errors import ConversionFailed
from raikoo_op_runner.kinds._convert.pipeline import convert
from raikoo_op_runner.kinds._convert.source import InputShape, Source


def run(request: dict[str, Any], payload: bytes) -> tuple[dict[str, Any], bytes]:
    try:
        config = ConvertConfig.model_validate(request["config"])
        output = convert(config, _source(request["input"], payload, config.encoding))
        body = orjson.dumps({name: getattr(output, name) for name in ConvertOutput.model_fields})
    except ConversionFailed as failure:
        return {"error": {"kind": failure.kind, "message": str(failure)}}, b""
    except orjson.JSONEncodeError as exc:
        return {"error": {"kind": "invalid_output", "message": f"output is not JSON: {exc}"}}, b""
    except MemoryError:
        raise  # the worker reports it, with its limit
    except Exception as exc:  # a parser's own bug: reported as the executor would
        traceback.print_exc(file=sys.stderr)
        return {"error": {"kind": "error", "message": f"{type(exc).__name__}: {exc}"}}, b""
    done = {"format": output.format, "source_format": output.source_format, "rows": output.rows}
    return {"ok": done}, body


def _source(shape: InputShape, payload: bytes, encoding: str) -> Source:
    if shape == "value":
        return Source(value=orjson.loads(payload), structured=True)
    if shape == "blob":
        return Source(blob=payload, encoding=encoding)
    return Source(text=payload.decode("utf-8", "surrogatepass"), encoding=encoding)
