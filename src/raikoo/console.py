"""What the CLI tells the user on stderr, through rich, never reading markup.

Everything printed here holds data — workflow text, error messages, regular expressions,
``[template]`` kinds — in which rich would take ``[...]`` for a style tag and drop it.
Styles are applied to whole parts instead (``say("run ", (run_id, "bold"))``).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

Part = str | tuple[str, str]
"""Text, or text with a rich style (``("failed", "red")``)."""


@cache
def stderr() -> Console:
    # rich costs a tenth of a second to import: only commands that print pay for it.
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def say(*parts: Part, style: str | None = None) -> None:
    """Print the parts as one line. Never wrapped by rich: the terminal wraps what does not
    fit, and a piped or logged line (or a command to copy) stays whole."""
    from rich.text import Text

    text = Text.assemble(*parts, style=style or "")
    stderr().print(text, markup=False, highlight=False, soft_wrap=True)
