"""Text helpers shared by the text kinds: user regular expressions and safe cut positions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from raikoo_common.runner import OperationError


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot separate text, or None when it can."""
    try:
        compiled = re.compile(pattern)
    except re.error as error:
        at = f" at position {error.pos + 1}" if error.pos is not None else ""
        return f"invalid regular expression {pattern!r}: {error.msg}{at}"
    if compiled.fullmatch(""):
        # It would separate every character from the next: surely not what was meant.
        return f"the regular expression {pattern!r} matches the empty string"
    return None


def check_pattern(pattern: str) -> str:
    problem = pattern_problem(pattern)
    if problem is not None:
        raise ValueError(problem)
    return pattern


def compile_separator(
    separator: str, *, regex: bool, ignore_case: bool, where: str
) -> re.Pattern[str]:
    if regex and (problem := pattern_problem(separator)) is not None:
        raise OperationError(f"{where}: {problem}", kind="invalid_pattern", retryable=False)
    source = separator if regex else re.escape(separator)
    return re.compile(source, re.IGNORECASE if ignore_case else 0)


def cut_points(pattern: re.Pattern[str], text: str, start: int, end: int) -> Iterator[int]:
    """Positions strictly inside ``[start, end)`` just after each match of ``pattern``.

    The separator stays with the text before it, so the parts still join to the original.
    """
    previous = start
    for match in pattern.finditer(text, start, end):
        if previous < match.end() < end:
            previous = match.end()
            yield previous


_ZWJ = "\u200d"


def is_cluster_boundary(text: str, index: int) -> bool:
    """Whether cutting ``text`` at ``index`` keeps user-perceived characters whole.

    An approximation of Unicode extended grapheme clusters covering what text really
    holds: combining marks, emoji joined by ZWJ, variation selectors, skin tones, flags
    and CRLF. Python's ``re`` has no ``\\X`` and no grapheme library is installed.
    """
    if index <= 0 or index >= len(text):
        return True
    before, after = text[index - 1], text[index]
    if before == "\r" and after == "\n":
        return False
    if before == _ZWJ or _extends(after):
        return False
    if _is_regional_indicator(before) and _is_regional_indicator(after):
        run = 0
        while index - run - 1 >= 0 and _is_regional_indicator(text[index - run - 1]):
            run += 1
        return run % 2 == 0  # flags are pairs: cut only between two whole pairs
    return True


def boundary_at_or_before(text: str, index: int, floor: int) -> int:
    """The last cluster boundary in ``(floor, index]``, or ``floor`` when there is none."""
    while index > floor and not is_cluster_boundary(text, index):
        index -= 1
    return index


def boundary_at_or_after(text: str, index: int) -> int:
    while index < len(text) and not is_cluster_boundary(text, index):
        index += 1
    return index


def _extends(char: str) -> bool:
    code = ord(char)
    return (
        char == _ZWJ
        or unicodedata.category(char) in ("Mn", "Me", "Mc")
        or 0xFE00 <= code <= 0xFE0F  # variation selectors
        or 0x1F3FB <= code <= 0x1F3FF  # emoji skin-tone modifiers
        or 0xE0020 <= code <= 0xE007F  # tag characters (subdivision flags)
        or 0xE0100 <= code <= 0xE01EF  # variation selectors supplement
    )


def _is_regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF
