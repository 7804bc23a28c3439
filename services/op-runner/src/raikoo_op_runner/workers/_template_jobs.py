"""Jobs of ``template.render`` (a template) and ``json.transform`` (a JMESPath expression),
run in a worker with the bounds the request carries (``limits``: ``RenderLimits``)."""

from __future__ import annotations

from typing import Any

from jmespath.exceptions import JMESPathError

from raikoo_common.workflow.bounds import BoundExceeded, RenderLimits, render_budget
from raikoo_common.workflow.jmespath_bounded import compiled, search, search_failure
from raikoo_common.workflow.templates import TemplateError, render_value
from raikoo_op_runner.workers._registry import JobReply


def render(request: dict[str, Any], payload: bytes) -> JobReply:
    limits = RenderLimits(**request["limits"])
    template, values, where = request["template"], request["values"], request["where"]
    try:
        return {"ok": render_value(template, values, where=where, limits=limits)}, b""
    except TemplateError as error:
        return {"error": {"kind": "template", "message": str(error)}}, b""


def jmespath(request: dict[str, Any], payload: bytes) -> JobReply:
    limits = RenderLimits(**request["limits"])
    expression = request["expression"]
    try:
        with render_budget(limits):
            return {"ok": search(compiled(expression), request["data"])}, b""
    except (JMESPathError, BoundExceeded, RecursionError) as error:
        message = search_failure(request["where"], expression, request["about"], error)
        return {"error": {"kind": "expression_error", "message": message}}, b""
