"""Turning a response body into output data: JSON, text or base64."""

from __future__ import annotations

import base64
import codecs
from typing import Any, Literal

import orjson

from raikoo_op_runner.kinds._http_config import ResponseMode

BodyEncoding = Literal["json", "text", "base64", "artifact"]

_TEXT_SUBTYPES = frozenset(
    {"javascript", "ecmascript", "x-www-form-urlencoded", "yaml", "x-yaml", "csv", "graphql"}
)


class InvalidResponse(Exception):
    pass


def decode_body(
    content: bytes, content_type: str | None, mode: ResponseMode
) -> tuple[Any, BodyEncoding]:
    media_type, charset = _parse_content_type(content_type)
    if mode == "auto":
        mode = _auto_mode(content, media_type, charset)
    if mode == "artifact":
        return None, "artifact"  # stored by the kind, which has the artifact store
    if mode == "base64":
        return base64.b64encode(content).decode("ascii"), "base64"
    if mode == "text":
        return decode_text(content, charset), "text"
    if not content.strip():
        return None, "json"  # 204s and empty bodies: nothing to parse
    try:
        data = orjson.loads(
            content.removeprefix(codecs.BOM_UTF8)
            if _is_utf8(charset)
            else decode_text(content, charset)
        )
    except orjson.JSONDecodeError as exc:
        shown = media_type or "no content type"
        raise InvalidResponse(f"the body ({shown}) is not valid JSON: {exc}") from None
    return data, "json"


def decode_text(content: bytes, charset: str | None) -> str:
    encoding = charset if charset and _known_codec(charset) else "utf-8"
    return content.decode(encoding, errors="replace")


def excerpt(content: bytes, content_type: str | None, limit: int = 200) -> str:
    """A short single-line view of a body, for error messages."""
    _, charset = _parse_content_type(content_type)
    text = " ".join(decode_text(content[: limit * 4], charset).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_json_type(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def _auto_mode(content: bytes, media_type: str, charset: str | None) -> ResponseMode:
    if is_json_type(media_type):
        return "json"
    main, _, sub = media_type.partition("/")
    if main == "text" or sub.endswith(("xml", "+xml")) or sub in _TEXT_SUBTYPES:
        return "text"
    if not media_type and _is_utf8(charset):
        try:
            content.decode("utf-8")
        except UnicodeDecodeError:
            return "base64"
        return "text"
    return "base64"


def _parse_content_type(content_type: str | None) -> tuple[str, str | None]:
    if not content_type:
        return "", None
    media_type, *params = content_type.split(";")
    charset = None
    for param in params:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower() or None
    return media_type.strip().lower(), charset


def _is_utf8(charset: str | None) -> bool:
    return charset is None or charset.replace("_", "-") in {"utf-8", "utf8"}


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True
