"""Tools an ``ai.prompt`` offers the model, inline (the platform resolves named project
tools into these same shapes before dispatch)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MIB = 1024 * 1024
_NAME = r"^[a-zA-Z0-9_-]{1,64}$"
TOOL_NAME_PATTERN = _NAME
"""What the model calls a tool by (and a project tool's name)."""
_URL_PATTERN = "^[Hh][Tt][Tt][Pp][Ss]?://"
Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]


class _ToolBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mock: Any = Field(
        default=None,
        description="What the tool returns in a dry run (null: a note that it was not called).",
    )
    timeout: float = Field(default=30.0, gt=0, le=600, description="Seconds one call may take.")


class _FunctionTool(_ToolBase):
    name: str = Field(pattern=_NAME, description="The name the model calls the tool by.")
    description: str = Field(default="", max_length=4096, description="Told to the model.")
    parameters: dict[str, Any] = Field(
        default_factory=lambda: {"type": "object", "properties": {}},
        description="JSON Schema of the arguments; the model's arguments are checked against it.",
    )

    @field_validator("parameters")
    @classmethod
    def _valid_schema(cls, schema: dict[str, Any]) -> dict[str, Any]:
        from raikoo_ai_runner.schemas import schema_problem

        problem = schema_problem(schema)
        if problem is not None:
            raise ValueError(f"parameters is not a valid JSON Schema: {problem}")
        return schema


class HttpTool(_FunctionTool):
    """Calls an HTTP endpoint with the model's arguments, through the SSRF guard."""

    type: Literal["http"]
    url: str = Field(
        min_length=1,
        max_length=8192,
        description=(
            "URL template, rendered by the runner with the arguments as `args` "
            "(`https://api.example.com/cities/{{ args.city | urlencode }}`)."
        ),
        json_schema_extra={"pattern": _URL_PATTERN},
    )
    method: Method = "POST"
    headers: dict[str, str] = Field(
        default_factory=dict,
        description=(
            "Request headers, rendered when the operation is dispatched (never with the "
            "model's arguments); values may be secrets."
        ),
    )
    query: dict[str, str] = Field(
        default_factory=dict,
        description="Query parameters; values are templates over `args`.",
    )
    body: str | None = Field(
        default=None,
        max_length=1_000_000,
        description=(
            "Body template over `args`; one `{{ expression }}` sends its value as JSON. "
            "Default: the arguments as a JSON body (POST, PUT, PATCH), or as query "
            "parameters (GET, DELETE) when the URL and query use none of them."
        ),
    )
    max_response_bytes: int = Field(
        default=1 * MIB, ge=1, le=20 * MIB, description="Largest response body read."
    )
    max_result_chars: int = Field(
        default=20_000,
        ge=100,
        le=1_000_000,
        description="Longest result handed back to the model (the rest is cut, and it is told).",
    )


class McpTool(_ToolBase):
    """The tools of an MCP server: streamable HTTP at ``url``, or a server the operator
    lists by ``server`` name (RAIKOO_AI_MCP_STDIO_SERVERS)."""

    type: Literal["mcp"]
    name: str = Field(pattern=_NAME, description="Names this server in records and errors.")
    url: str | None = Field(
        default=None,
        max_length=8192,
        description="Streamable-HTTP endpoint of the server, e.g. https://mcp.example.com/mcp.",
        json_schema_extra={"pattern": _URL_PATTERN},
    )
    server: str | None = Field(
        default=None,
        max_length=128,
        description="A stdio server the operator configured, by name.",
    )
    headers: dict[str, str] = Field(
        default_factory=dict, description="Request headers (HTTP); values may be secrets."
    )
    allow: list[str] | None = Field(
        default=None,
        description="The server's tools offered to the model (default: all it lists).",
    )
    max_result_chars: int = Field(default=20_000, ge=100, le=1_000_000)

    @model_validator(mode="after")
    def _one_endpoint(self) -> McpTool:
        if (self.server is None) == (self.url is None):
            raise ValueError("give exactly one of url (streamable HTTP) or server (stdio)")
        return self


class WorkflowTool(_FunctionTool):
    """Runs a workflow of the project as a child run; its outputs are the result."""

    type: Literal["workflow"]
    workflow: str = Field(min_length=1, max_length=256, description="The workflow's name.")
    version: int | None = Field(default=None, ge=1, description="Default: the latest.")
    inputs: dict[str, str] = Field(
        default_factory=dict,
        description="The child's inputs, as templates over `args` (default: the arguments).",
    )


Tool = Annotated[HttpTool | McpTool | WorkflowTool, Field(discriminator="type")]
ToolName = Annotated[
    str, Field(pattern=_NAME, description="A tool of the project, by name (/v1/tools).")
]


def tool_names_clash(tools: list[HttpTool | McpTool | WorkflowTool | str]) -> str | None:
    seen: set[str] = set()
    for tool in tools:
        name = tool if isinstance(tool, str) else tool.name
        if name in seen:
            return name
        seen.add(name)
    return None
