"""Token counting for ``text.chunk``, offline.

``approximate`` is a deterministic estimate, not a real tokenizer: it cuts text the way
GPT tokenizers pre-split it (words with their leading space, runs of digits, punctuation,
whitespace), then splits long words into pieces of at most 6 letters, punctuation into
pieces of 3 and counts each CJK character as one token. On samples of English prose and
Markdown, Python, JSON, German, French, Russian, Japanese and Chinese its counts were
from 9% under to 12% over OpenAI's o200k_base (GPT-4o family); cl100k_base (GPT-4) needs
up to twice as many tokens for non-English text. Leave headroom when a limit is strict.

``o200k_base`` and ``cl100k_base`` are exact. They need the ``bpe-openai`` package, whose
wheels ship the encodings' data (tiktoken itself downloads them at run time, which a
runner may not be able to do); without it they are reported as unavailable, never
silently replaced by the estimate.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import warnings
from functools import cache
from typing import Any, Protocol

Span = tuple[int, int]


class Tokenizer(Protocol):
    name: str
    exact: bool

    def spans(self, text: str) -> list[Span]:
        """``(start, end)`` character offsets of each token, in order, covering ``text``."""
        ...


class TokenizerUnavailable(Exception):
    pass


EXACT_ENCODINGS = ("o200k_base", "cl100k_base")

_PRE_TOKEN = re.compile(
    r"'(?i:[sdmt]|ll|ve|re)"  # English contractions
    r"|[^\r\n\w]?[^\W\d_]+"  # a word, with the space or sign before it
    r"|\d{1,3}"
    r"| ?(?:[^\s\w]|_)+[\r\n]*"  # punctuation
    r"|\s*[\r\n]+|\s+(?!\S)|\s+"
    r"|[\s\S]"  # anything else, one character at a time
)
_CJK_OR_OTHER = re.compile(r"[\u2e80-\U0002ffff]|[^\u2e80-\U0002ffff]+")
_WORD_PIECE = 6
_SIGN_PIECE = 3


class ApproximateTokenizer:
    name = "approximate"
    exact = False

    def spans(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for match in _PRE_TOKEN.finditer(text):
            start, end = match.span()
            piece = match.group()
            if piece[-1].isalpha():
                spans.extend(_word_spans(piece, start))
            else:
                signs = len(piece.strip())
                spans.extend(_even_spans(start, end, math.ceil(signs / _SIGN_PIECE)))
        return spans


def _word_spans(word: str, offset: int) -> list[Span]:
    """A word's tokens; the space or sign before it joins its first token, uncounted."""
    lead = 0 if word[0].isalpha() else 1
    spans: list[Span] = []
    for part in _CJK_OR_OTHER.finditer(word, lead):
        start, end = offset + part.start(), offset + part.end()
        if ord(part.group()[0]) >= 0x2E80:
            spans.append((start, end))
        else:
            spans.extend(_even_spans(start, end, math.ceil((end - start) / _WORD_PIECE)))
    spans[0] = (offset, spans[0][1])
    return spans


def _even_spans(start: int, end: int, count: int) -> list[Span]:
    count = max(1, count)
    bounds = [start + (end - start) * part // count for part in range(count + 1)]
    return list(itertools.pairwise(bounds))


class EncodingTokenizer:
    """A real BPE encoding, through the tiktoken-compatible API of ``bpe-openai``."""

    exact = True

    def __init__(self, name: str, encoding: Any) -> None:
        self.name = name
        self._encoding = encoding

    def spans(self, text: str) -> list[Span]:
        # Special-token text such as "<|endoftext|>" in a document is ordinary text here.
        tokens = self._encoding.encode_ordinary(text)
        pieces: list[bytes] = self._encoding.decode_tokens_bytes(tokens)
        # Byte offset where each character starts: a token may end inside a character.
        char_starts = list(itertools.accumulate((_utf8_length(c) for c in text), initial=0))
        if sum(map(len, pieces)) != char_starts[-1]:
            raise ValueError("the text has characters the tokenizer cannot encode")
        spans: list[Span] = []
        byte = 0
        for piece in pieces:
            start = bisect.bisect_right(char_starts, byte) - 1
            byte += len(piece)
            spans.append((start, bisect.bisect_left(char_starts, byte)))
        return spans


def _utf8_length(char: str) -> int:
    code = ord(char)
    return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4


def get_tokenizer(name: str) -> Tokenizer:
    if name == ApproximateTokenizer.name:
        return ApproximateTokenizer()
    if name not in EXACT_ENCODINGS:
        raise TokenizerUnavailable(f"unknown tokenizer {name!r}")
    return EncodingTokenizer(name, _encoding(name))


@cache
def _encoding(name: str) -> Any:
    with warnings.catch_warnings():
        # bpe-openai 0.1 loads its data with importlib.resources.open_binary (deprecated).
        warnings.simplefilter("ignore", DeprecationWarning)
        try:
            import bpe_openai
        except ImportError:
            raise TokenizerUnavailable(
                f"tokenizer {name!r} needs the Python package bpe-openai, which this runner "
                "does not have; use tokenizer: approximate, or install bpe-openai in the runner"
            ) from None
        return bpe_openai.get_encoding(name)
