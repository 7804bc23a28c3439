"""The chunking strategies of ``text.chunk``, as character spans into the original text.

Every strategy returns ``(start, end)`` spans, so a chunk is always ``text[start:end]``
and offsets need no bookkeeping. No cut splits a user-perceived character
(see ``_text.is_cluster_boundary``); the only chunk longer than ``size`` characters is a
single such character longer than ``size`` code points (an emoji ZWJ sequence with
``size`` 3, say), which is kept whole rather than cut.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from collections.abc import Sequence

from raikoo_op_runner.kinds._text import (
    boundary_at_or_after,
    boundary_at_or_before,
    cut_points,
    is_cluster_boundary,
)

Span = tuple[int, int]


def by_characters(
    text: str, size: int, overlap: int, start: int = 0, end: int | None = None
) -> list[Span]:
    """Windows of ``size`` characters, each starting ``overlap`` before the previous one ends."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    position = covered = start  # covered: where the last chunk ended
    while covered < end:
        stop = min(position + size, end)
        if stop < end:
            stop = boundary_at_or_before(text, stop, covered)
        if stop == covered:  # a character cluster straddles the window's end
            if position < covered:
                position = covered  # give up the overlap this once, rather than stall
                continue
            stop = min(boundary_at_or_after(text, covered + 1), end)  # longer than size: whole
        spans.append((position, stop))
        covered = stop
        following = min(boundary_at_or_after(text, stop - overlap), stop)
        position = following if following > position else boundary_at_or_after(text, position + 1)
    return spans


def by_separators(
    text: str, size: int, overlap: int, separators: Sequence[re.Pattern[str]]
) -> list[Span]:
    """Split at the first separator, split pieces still too long at the next, and so on
    (characters last); then join neighbouring pieces back while they fit in ``size``."""
    if len(text) <= size:
        return [(0, len(text))] if text else []
    return _split(text, 0, len(text), 0, size, overlap, separators)


def _split(
    text: str,
    start: int,
    end: int,
    level: int,
    size: int,
    overlap: int,
    separators: Sequence[re.Pattern[str]],
) -> list[Span]:
    if level == len(separators):
        return by_characters(text, size, overlap, start, end)
    cuts = cut_points(separators[level], text, start, end)
    bounds = [start, *(cut for cut in cuts if is_cluster_boundary(text, cut)), end]
    chunks: list[Span] = []
    fitting: list[Span] = []
    for piece in itertools.pairwise(bounds):
        if piece[1] - piece[0] <= size:
            fitting.append(piece)
            continue
        # Chunks do not straddle a piece that must be split finer: its parts are chunked
        # on their own, so each chunk keeps to as few structural units as possible.
        chunks += _merge(fitting, size, overlap)
        fitting = []
        chunks += _split(text, *piece, level + 1, size, overlap, separators)
    chunks += _merge(fitting, size, overlap)
    return chunks


def _merge(pieces: Sequence[Span], size: int, overlap: int) -> list[Span]:
    """Consecutive pieces joined into chunks of at most ``size``; each chunk starts with the
    whole pieces ending the previous one that fit in ``overlap``."""
    chunks: list[Span] = []
    window: deque[Span] = deque()
    for piece in pieces:
        if window and piece[1] - window[0][0] > size:
            chunks.append((window[0][0], window[-1][1]))
            while window and (
                window[-1][1] - window[0][0] > overlap or piece[1] - window[0][0] > size
            ):
                window.popleft()
        window.append(piece)
    if window:
        chunks.append((window[0][0], window[-1][1]))
    return chunks


def by_tokens(text: str, size: int, overlap: int, tokens: Sequence[Span]) -> list[Span]:
    """Windows of ``size`` tokens, each repeating the last ``overlap`` tokens of the one before.

    Cuts fall between character clusters. A BPE tokenizer may spend several tokens on one
    character, so a window ends before a character whose tokens it cannot all hold, and
    the next window starts with it; only a single cluster needing more than ``size``
    tokens makes a larger chunk.
    """
    spans: list[Span] = []
    count = len(tokens)
    first = 0
    while first < count:
        start = boundary_at_or_before(text, tokens[first][0], 0)
        lead = first  # tokens of the cluster ``start`` moved back into count too
        while lead > 0 and tokens[lead - 1][0] >= start:
            lead -= 1
        last = min(lead + size, count) - 1
        end = tokens[last][1]
        if last + 1 < count and tokens[last + 1][0] < end:
            end = tokens[last][0]  # the next token holds more of this character
        stop = boundary_at_or_before(text, end, start)
        if stop <= start:  # one cluster needs more tokens than a window has
            stop = boundary_at_or_after(text, tokens[last][1])
        if not spans or stop > spans[-1][1]:
            spans.append((start, stop))
        uncovered = first
        while uncovered < count and tokens[uncovered][0] < stop:
            uncovered += 1
        if uncovered >= count:
            break
        first = max(first + 1, uncovered - overlap)
    return spans


def stripped(text: str, spans: Sequence[Span]) -> list[Span]:
    """Spans without the whitespace at their edges; whitespace-only spans left out.

    Whitespace goes by whole character clusters: a space that carries a combining mark stays.
    Where an overlap was only whitespace, two trimmed spans may start (or end) at the same
    place, one holding the other: only the larger is kept.
    """
    kept: list[Span] = []
    for span in spans:
        start, end = span
        while start < end:
            following = boundary_at_or_after(text, start + 1)
            if not text[start:following].isspace():
                break
            start = following
        while end > start:
            preceding = boundary_at_or_before(text, end - 1, start)
            if not text[preceding:end].isspace():
                break
            end = preceding
        if start == end or (kept and end <= kept[-1][1]):
            continue
        if kept and start <= kept[-1][0]:
            kept[-1] = (kept[-1][0], end)
        else:
            kept.append((start, end))
    return kept
