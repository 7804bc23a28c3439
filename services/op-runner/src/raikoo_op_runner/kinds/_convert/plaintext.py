"""Markdown to plain text: the words without the markup.

Extraction produces Markdown (headings, emphasis, links, tables); ``to: text`` wants what a
reader sees. Code keeps its content, links keep their text, table rows become tab-separated
lines, and backslash escapes become the characters they protect.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"\s{0,3}(```|~~~)")
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_HEADING = re.compile(r"\s{0,3}#{1,6}(?:\s+|$)(.*?)(?:\s+#+)?\s*$")
_RULE = re.compile(r"\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,}|={3,})\s*")
_TABLE_DELIMITER = re.compile(r"\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)  # e.g. markitdown's slide number markers
_QUOTE = re.compile(r"\s{0,3}>\s?")
_INLINE = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images: their alt text
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links: their text
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"`+([^`]*?)`+"), r"\1"),  # code spans
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),  # strikethrough
    (re.compile(r"<br\s*/?>", re.IGNORECASE), "\n"),
)
# Escaped characters hide in Supplementary Private Use Area-A (unused by real text) while
# markup is removed, then come back as themselves.
_PROTECTED = 0xF0000


def markdown_to_text(markdown: str) -> str:
    markdown = _COMMENT.sub("", markdown)
    lines: list[str] = []
    in_fence = False
    for line in markdown.splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if in_fence:
            lines.append(line)
        elif (block := _block(line)) is not None:
            lines.append(block)
    text = "\n".join(line.rstrip() for line in lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _block(line: str) -> str | None:
    """A line without its markup; None for a line that is only markup."""
    while _QUOTE.match(line):
        line = _QUOTE.sub("", line, count=1)
    if "|" in line and _TABLE_DELIMITER.fullmatch(line):
        return None
    if _RULE.fullmatch(line):
        return ""
    heading = _HEADING.fullmatch(line)
    if heading:
        line = heading.group(1)
    line = _ESCAPE.sub(lambda m: chr(_PROTECTED + ord(m.group(1))), line)
    if line.lstrip().startswith("|"):
        line = "\t".join(cell.strip() for cell in line.strip().strip("|").split("|"))
    for pattern, replacement in _INLINE:
        line = pattern.sub(replacement, line)
    return "".join(
        chr(ord(char) - _PROTECTED) if _PROTECTED <= ord(char) < _PROTECTED + 128 else char
        for char in line
    )
