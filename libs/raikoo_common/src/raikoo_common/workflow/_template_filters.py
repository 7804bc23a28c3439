"""Filters added to Jinja's standard set for working with data rather than HTML."""

from __future__ import annotations

import base64
import binascii
import json
import re
import unicodedata
from collections.abc import Callable, Hashable, Iterable
from typing import Any

from jinja2 import Environment, Undefined, pass_environment
from jinja2.filters import make_attrgetter

from raikoo_common.workflow._budget import budget
from raikoo_common.workflow._date_filters import date_filters, date_globals, value_kind
from raikoo_common.workflow._json_data import json_text, tojson
from raikoo_common.workflow._text import as_repr
from raikoo_common.workflow.jmespath_bounded import search as jmespath_search

FROMJSON_BYTES_PER_CHARACTER = 32
"""Memory parsed JSON may take per character of its text (``[]`` is a list of 56 bytes):
charged to the render's budget before parsing."""


def fromjson(text: str) -> Any:
    if isinstance(text, str | bytes):
        budget().charge_bytes(len(text) * FROMJSON_BYTES_PER_CHARACTER, "fromjson")
    return json.loads(text)


def flatten(value: Any, deep: bool = False) -> list[Any]:
    """Lists in the list spliced into it: one level, or every level with ``deep=true``.
    The result is counted as it grows: a list repeating one long list is short in memory."""
    if not isinstance(value, list | tuple):
        raise TypeError(f"flatten expects a list, not {type(value).__name__}")
    flat: list[Any] = []
    _splice(flat, value, deep, budget())
    return flat


def _splice(flat: list[Any], items: list[Any] | tuple[Any, ...], deep: bool, current: Any) -> None:
    for item in items:
        if isinstance(item, list | tuple):
            current.spend()
            if deep:
                _splice(flat, item, deep, current)
            else:
                current.expect(len(flat) + len(item), "list", "flatten")
                flat.extend(item)
        else:
            flat.append(item)
            if len(flat) % 4096 == 0:
                current.expect(len(flat), "list", "flatten")


@pass_environment
def unique(
    environment: Environment,
    value: Iterable[Any],
    case_sensitive: bool = False,
    attribute: str | int | None = None,
) -> list[Any]:
    """Items without repeats, the first kept. Jinja's own ``unique`` with the same arguments,
    except that it also works on records (objects and lists), which are not hashable."""
    _require_defined(value)
    if isinstance(value, str | dict) or not isinstance(value, Iterable):
        raise TypeError(f"unique expects a list, not {value_kind(value)}")
    key_of = make_attrgetter(environment, attribute, postprocess=None if case_sensitive else _lower)
    seen: set[Hashable] = set()
    kept: list[Any] = []
    for item in value:
        key = _hashable(key_of(item))
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return kept


def b64encode(value: Any, urlsafe: bool = False) -> str:
    """The UTF-8 bytes of ``value`` in base64 (the URL-safe alphabet with ``urlsafe=true``)."""
    data = _text(value, "b64encode").encode()
    encoded = base64.urlsafe_b64encode(data) if urlsafe else base64.b64encode(data)
    return encoded.decode("ascii")


def b64decode(value: Any, urlsafe: bool = False) -> str:
    """Base64 back to text. Missing ``=`` padding is tolerated, as JWTs and URLs omit it."""
    text = "".join(_text(value, "b64decode").split())
    text += "=" * (-len(text) % 4)
    if urlsafe:
        text = text.translate(str.maketrans("-_", "+/"))
    try:
        data = base64.b64decode(text, validate=True)
    except binascii.Error as error:
        raise ValueError(f"b64decode: the value is not valid base64 ({error})") from None
    try:
        return data.decode()
    except UnicodeDecodeError:
        raise ValueError("b64decode: the decoded bytes are not UTF-8 text") from None


# Latin letters that Unicode does not decompose into an ASCII letter and a mark.
_ASCII_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th"}
)


def slugify(value: Any, separator: str = "-", ascii: bool = True) -> str:
    """Lowercase words of ``value`` joined by ``separator``: ``"Hello, Wörld!"`` → ``hello-world``.

    ``ascii=false`` keeps letters of every script (``"東京 Tokyo"`` → ``東京-tokyo``).
    """
    text = str(value) if isinstance(value, int | float) else _text(value, "slugify")
    text = unicodedata.normalize("NFC", text).lower()
    if ascii:
        text = unicodedata.normalize("NFKD", text.translate(_ASCII_LETTERS))
        text = text.encode("ascii", "ignore").decode("ascii")  # drops the accents NFKD split off
        return separator.join(re.findall(r"[a-z0-9]+", text))
    return separator.join(re.findall(r"[^\W_]+", text))


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _hashable(value: Any) -> Hashable:
    if isinstance(value, dict | list):
        return ("json", json_text(value, "unique: the item", compact=True, sort_keys=True))
    return value if isinstance(value, Hashable) else ("repr", as_repr(value, "unique"))


def _text(value: Any, name: str) -> str:
    _require_defined(value)
    if not isinstance(value, str):
        raise TypeError(f"{name} expects text, not {value_kind(value)}")
    return value


def _require_defined(value: Any) -> None:
    if isinstance(value, Undefined):
        str(value)  # StrictUndefined raises the precise error (which name is missing)


def data_filters() -> dict[str, Callable[..., Any]]:
    filters: dict[str, Callable[..., Any]] = {
        "tojson": tojson,
        "fromjson": fromjson,
        "flatten": flatten,
        "unique": unique,
        "b64encode": b64encode,
        "b64decode": b64decode,
        "slugify": slugify,
        **date_filters(),
    }

    def search(value: Any, expression: str) -> Any:
        return jmespath_search(expression, value)

    filters["jmespath"] = search
    return filters


def data_globals() -> dict[str, Callable[..., Any]]:
    """Functions added to Jinja's globals (``range``, ``dict``…): ``now()``."""
    return date_globals()
