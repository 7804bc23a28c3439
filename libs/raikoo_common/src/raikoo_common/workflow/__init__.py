"""Workflow definitions: their format, loading, validation and templates."""

from raikoo_common.workflow.durations import parse_duration
from raikoo_common.workflow.loader import load_definition, parse_document
from raikoo_common.workflow.problems import DefinitionInvalid, Problem
from raikoo_common.workflow.schema import (
    InputSpec,
    OperationSpec,
    RetryPolicy,
    WorkflowDefinition,
    WorkflowSettings,
)
from raikoo_common.workflow.templates import TemplateError, render_value
from raikoo_common.workflow.validate import validate_definition

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
