"""The OpenAPI document says what errors look like: every operation's ``default`` response
is a problem document (RFC 9457), as every answer that is not a success is; FastAPI's own
422 shape, which the gateway never sends, is not documented."""

from __future__ import annotations

from raikoo_common.api.problems import ProblemDocument
from raikoo_gateway.app import build_api
from raikoo_gateway.problems import MEDIA_TYPE


def test_every_operation_documents_its_errors_as_problems() -> None:
    document = build_api().openapi()
    operations = [
        (f"{method.upper()} {path}", operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]
    assert len(operations) > 30
    for label, operation in operations:
        default = operation["responses"].get("default")
        assert default is not None, label
        assert default["content"] == {
            MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
        }, label
        assert "422" not in operation["responses"], f"{label}: FastAPI's 422 is not ours"
    schemas = document["components"]["schemas"]
    assert schemas["Problem"] == ProblemDocument.model_json_schema()
    assert "HTTPValidationError" not in schemas
