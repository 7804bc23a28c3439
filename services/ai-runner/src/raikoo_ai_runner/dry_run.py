"""What AI operations return in a dry run: their ``mock``, else one made from the output
schema (the same every time), else a note that no model was called."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson

from raikoo_ai_runner.schemas import example_of


def mock_answer(mock: Any, schema: dict[str, Any] | None) -> str:
    """The answer text of a dry run."""
    if mock is None:
        if schema is None:
            return "(dry run: no model was called)"
        mock = example_of(schema)
    return mock if isinstance(mock, str) else orjson.dumps(mock).decode()


def mock_vectors(texts: list[str], dimensions: int | None) -> list[list[float]]:
    """Unit-free vectors derived from each text: the same text, the same vector."""
    size = dimensions or 8
    vectors = []
    for text in texts:
        seed = hashlib.sha256(text.encode()).digest()
        vectors.append([round(seed[i % len(seed)] / 255, 6) for i in range(size)])
    return vectors
