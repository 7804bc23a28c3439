"""Operators and joins, bounded: where Jinja itself lets a short template build huge values.

``*`` and ``**`` are estimated before they run (the length of a repeated sequence, the bits
of a product or a power), as are ``+`` of two sequences, ``~`` and the joining of output
(the template's own, a macro's, a ``{% set %}`` block's); ``%`` is ``printf``. Every result
is then measured and charged to the render's budget (``_budget``).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable
from typing import Any

from raikoo_common.workflow._budget import budget, too_large, too_wide
from raikoo_common.workflow._formatting import printf
from raikoo_common.workflow._text import as_text

BINOPS = frozenset({"*", "**", "+", "-", "%"})
"""The operators the sandbox routes through ``binop`` (``/`` and ``//`` only shrink)."""
_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    "*": operator.mul,
    "**": operator.pow,
    "+": operator.add,
    "-": operator.sub,
    "%": operator.mod,
}


def binop(symbol: str, left: Any, right: Any) -> Any:
    current = budget()
    if symbol == "%" and isinstance(left, str):
        return printf(left, right)
    if symbol == "*":
        _check_product(left, right)
    elif symbol == "**":
        _check_power(left, right)
    elif symbol == "+":
        _check_sum(left, right)
    result = _OPERATORS[symbol](left, right)
    current.charge(result, symbol)
    return result


def _check_product(left: Any, right: Any) -> None:
    if _is_integer(left) and _is_integer(right):
        bits = current_int_bits()
        if left.bit_length() + right.bit_length() > bits + 1:
            raise too_wide(bits, "*")
        return
    for sequence, times in ((left, right), (right, left)):
        if isinstance(sequence, str | list | tuple) and _is_integer(times):
            what = "string" if isinstance(sequence, str) else "list"
            budget().expect(len(sequence) * max(times, 0), what, "*")
            return


def _check_power(left: Any, right: Any) -> None:
    if _is_integer(left) and _is_integer(right) and right > 0 and abs(left) > 1:
        bits = current_int_bits()
        if (left.bit_length() - 1) * right > bits:
            raise too_wide(bits, "**")


def _check_sum(left: Any, right: Any) -> None:
    if isinstance(left, str) and isinstance(right, str):
        budget().expect(len(left) + len(right), "string", "+")
    elif isinstance(left, list | tuple) and isinstance(right, list | tuple):
        budget().expect(len(left) + len(right), "list", "+")


def _is_integer(value: Any) -> bool:
    return isinstance(value, int)


def current_int_bits() -> int:
    return budget().limits.max_int_bits


def concat(*parts: Any) -> str:
    """``a ~ b ~ c``: each part written by the text rule, the total checked before joining."""
    texts = [as_text(part, "~") for part in parts]
    current = budget()
    current.expect(sum(map(len, texts)), "string", "~")
    joined = "".join(texts)
    current.charge(joined, "~")
    return joined


def join_output(chunks: Iterable[str], what: str = "the output") -> str:
    """The text a template (or a macro, a block) writes, refused as soon as it grows past
    the limit: chunks are counted as they come, not joined first."""
    current = budget()
    limit = current.limits.max_size
    kept: list[str] = []
    total = 0
    for chunk in chunks:
        total += len(chunk)
        if total > limit:
            raise too_large("string", limit, what)
        kept.append(chunk)
    joined = "".join(kept)
    current.charge(joined, what)
    return joined
