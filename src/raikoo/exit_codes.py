"""How a ``raikoo`` command ended, for scripts (documented in README and ``--help``)."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    OK = 0
    FAILED = 1
    """The run failed, or the API refused or could not be reached."""
    INVALID = 2
    """An invalid definition, inputs or arguments."""
    DATA_DIR_IN_USE = 3
    """Another Raikoo process holds the data directory: use it with ``--server``."""
    CANCELLED = 130
    """The run was cancelled (Ctrl-C included)."""


HELP = """\b
Exit codes:
  0    the run succeeded
  1    it failed, or the API refused or could not be reached
  2    invalid definition, inputs or arguments
  3    another Raikoo process holds the data directory: run against it with --server
  130  cancelled
"""
"""For ``--help`` (click keeps the lines of a paragraph that starts with ``\\b``)."""
