"""Workflow definitions: their format, loading, validation and templates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from raikoo_common._lazy import lazy_exports

if TYPE_CHECKING:
    from raikoo_common.workflow.durations import (
        parse_duration,
    )
    from raikoo_common.workflow.loader import (
        load_definition,
        parse_document,
    )
    from raikoo_common.workflow.problems import (
        DefinitionInvalid,
        Problem,
    )
    from raikoo_common.workflow.schema import (
        InputSpec,
        OperationSpec,
        RetryPolicy,
        WorkflowDefinition,
        WorkflowSettings,
    )
    from raikoo_common.workflow.templates import (
        TemplateError,
        render_value,
    )
    from raikoo_common.workflow.validate import (
        validate_definition,
    )

__all__ = [
    "DefinitionInvalid",
    "InputSpec",
    "OperationSpec",
    "Problem",
    "RetryPolicy",
    "TemplateError",
    "WorkflowDefinition",
    "WorkflowSettings",
    "load_definition",
    "parse_document",
    "parse_duration",
    "render_value",
    "validate_definition",
]

# Each export loads its own module on first use (see raikoo_common._lazy).
__getattr__ = lazy_exports(
    __name__,
    {
        "parse_duration": "durations",
        "load_definition": "loader",
        "parse_document": "loader",
        "DefinitionInvalid": "problems",
        "Problem": "problems",
        "InputSpec": "schema",
        "OperationSpec": "schema",
        "RetryPolicy": "schema",
        "WorkflowDefinition": "schema",
        "WorkflowSettings": "schema",
        "TemplateError": "templates",
        "render_value": "templates",
        "validate_definition": "validate",
    },
)
