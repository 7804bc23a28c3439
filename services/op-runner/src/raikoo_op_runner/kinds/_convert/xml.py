"""XML via xmltodict: safe reading (no entities, no DTD fetches) and writing records.

Keys that are not valid XML names (``First Name``) are written with the SQL/XML and .NET
``XmlConvert`` escaping (``First_x0020_Name``) and decoded on reading, so a CSV header
survives a round trip through XML.
"""

from __future__ import annotations

import re
from typing import Any
from xml.parsers import expat

import xmltodict

from raikoo_op_runner.kinds._convert.cells import cell_value
from raikoo_op_runner.kinds._convert.config import ConvertConfig
from raikoo_op_runner.kinds._convert.errors import invalid

_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4}|[0-9A-Fa-f]{8})_")
_SPECIAL_KEYS = ("#text",)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def read_xml(text: str, config: ConvertConfig) -> Any:
    def postprocess(_path: Any, key: str, value: Any) -> tuple[str, Any]:
        if value is None:
            value = None if config.infer_types else ""
        elif isinstance(value, str):
            value = cell_value(value, config)
        return _decode_name(key), value

    try:
        # disable_entities makes any entity declaration an error: that stops entity
        # expansion bombs and external entities before they are expanded or fetched.
        return xmltodict.parse(
            text,
            disable_entities=True,
            postprocessor=postprocess,
            force_list=tuple(config.force_list) or None,  # matched after decoding
        )
    except expat.ExpatError as exc:
        reason = expat.ErrorString(exc.code) if exc.code else str(exc)
        raise invalid(f"xml: line {exc.lineno}, column {exc.offset + 1}: {reason}") from None
    except ValueError as exc:
        if "entities are disabled" in str(exc):
            raise invalid(
                "xml: entity declarations are not allowed (they enable XML bombs and "
                "external entity attacks)"
            ) from None
        raise invalid(f"xml: {exc}") from None


def write_xml(value: Any, config: ConvertConfig) -> str:
    if config.root is None and _is_rooted(value):
        document = value  # e.g. as read from XML
    elif isinstance(value, list):
        document = {config.root or "root": {config.item: value} if value else None}
    else:
        document = {config.root or "root": value}
    try:
        return str(
            xmltodict.unparse(
                _encode_keys(document, _encode_name(config.item)),
                pretty=config.indent is not None,
                indent=" " * (config.indent or 0),
                full_document=True,
            )
        )
    except ValueError as exc:
        raise invalid(f"xml: cannot write this value: {exc}") from None


def _is_rooted(value: Any) -> bool:
    """One element of its own: a single key that is not an attribute, text, or a list."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    key, inner = next(iter(value.items()))
    return not key.startswith(("@", "#")) and not isinstance(inner, list)


def _encode_keys(value: Any, item: str) -> Any:
    if isinstance(value, dict):
        return {_encode_key(k): _encode_keys(v, item) for k, v in value.items()}
    if isinstance(value, list):
        # A list inside a list has no element name of its own: its entries become items.
        return [
            {item: _encode_keys(v, item)} if isinstance(v, list) else _encode_keys(v, item)
            for v in value
        ]
    if isinstance(value, str) and (bad := _NOT_XML.search(value)):
        raise invalid(
            f"xml: the value {_excerpt(value)} contains U+{ord(bad.group()):04X}, a character "
            "XML 1.0 cannot represent"
        )
    return value


def _excerpt(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _encode_key(key: str) -> str:
    if key in _SPECIAL_KEYS:
        return key
    if key.startswith("@"):
        return "@" + _encode_name(key[1:])
    return _encode_name(key)


def _encode_name(name: str) -> str:
    if not name:
        raise invalid("xml: an empty key cannot be an element or attribute name")
    out: list[str] = []
    for position, char in enumerate(name):
        if char == "_" and name.startswith("_x", position) and _ESCAPED.match(name, position):
            out.append("_x005F_")  # keep a literal "_xHHHH_" from being decoded later
        elif _valid_name_char(char, first=position == 0):
            out.append(char)
        else:
            code = ord(char)
            out.append(f"_x{code:04X}_" if code <= 0xFFFF else f"_x{code:08X}_")
    return "".join(out)


# XML 1.0 (fifth edition) NameStartChar ranges beyond ASCII; a colon, though valid, means a
# namespace prefix, so it is escaped to keep names plain.
_NAME_START_RANGES = (
    (0xC0, 0xD6), (0xD8, 0xF6), (0xF8, 0x2FF), (0x370, 0x37D), (0x37F, 0x1FFF),
    (0x200C, 0x200D), (0x2070, 0x218F), (0x2C00, 0x2FEF), (0x3001, 0xD7FF),
    (0xF900, 0xFDCF), (0xFDF0, 0xFFFD), (0x10000, 0xEFFFF),
)  # fmt: skip
_NAME_RANGES = ((0x300, 0x36F), (0x203F, 0x2040))


def _valid_name_char(char: str, *, first: bool) -> bool:
    if char.isascii():
        return char.isalpha() or char == "_" or (not first and (char.isdigit() or char in "-."))
    code = ord(char)
    if any(low <= code <= high for low, high in _NAME_START_RANGES):
        return True
    return not first and (code == 0xB7 or any(lo <= code <= hi for lo, hi in _NAME_RANGES))


def _decode_name(name: str) -> str:
    return _ESCAPED.sub(_decode_one, name)


def _decode_one(match: re.Match[str]) -> str:
    code = int(match.group(1), 16)
    return chr(code) if code <= 0x10FFFF else match.group(0)
