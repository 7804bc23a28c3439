"""Response processing: the answer parsed (text, JSON or lines), extracted (JMESPath or a
regular expression), mapped into named outputs, and post-processed by a template."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jmespath import exceptions

from raikoo_ai_runner.config.response import ResponseProcessing
from raikoo_ai_runner.prompting.align import parse_json
from raikoo_ai_runner.tools.templates import TOOL_TEMPLATE_LIMITS
from raikoo_common.runner import OperationError
from raikoo_common.workflow.bounds import BoundExceeded, render_budget
from raikoo_common.workflow.jmespath_bounded import search, search_failure
from raikoo_common.workflow.templates import TemplateError, render_value


@dataclass
class Processed:
    data: Any = None
    outputs: dict[str, Any] = field(default_factory=dict)
    result: Any = None


def process(text: str, response: ResponseProcessing, *, structured: bool) -> Processed:
    mode = response.parse
    if mode == "auto":
        mode = "json" if structured else "text"
    data: Any
    if mode == "json":
        try:
            data = parse_json(text)
        except ValueError as exc:
            raise OperationError(f"response: {exc}", kind="invalid_json", retryable=False) from None
    elif mode == "lines":
        data = [line.strip() for line in text.splitlines() if line.strip()]
    else:
        data = text
    if response.regex is not None:
        data = _regex(response.regex, text)
    elif response.jmespath is not None:
        data = _search(response.jmespath, data, "response.jmespath")
    outputs = {
        name: _search(expression, data, f"response.outputs.{name}")
        for name, expression in response.outputs.items()
    }
    result = None
    if response.template is not None:
        scope = {"text": text, "data": data, "outputs": outputs}
        try:
            result = render_value(
                response.template, scope, where="response.template", limits=TOOL_TEMPLATE_LIMITS
            )
        except TemplateError as exc:
            raise OperationError(str(exc), kind="template", retryable=False) from None
    return Processed(data, outputs, result)


def _regex(pattern: str, text: str) -> Any:
    match = re.search(pattern, text)
    if match is None:
        return None
    if match.groupdict():
        return match.groupdict()
    return match.group(1) if match.groups() else match.group(0)


def _search(expression: str, data: Any, where: str) -> Any:
    try:
        with render_budget(TOOL_TEMPLATE_LIMITS):
            return search(expression, data)
    except (exceptions.JMESPathError, BoundExceeded, RecursionError) as error:
        message = search_failure(where, expression, "the answer", error)
        raise OperationError(message, kind="expression_error", retryable=False) from None
