"""A run's outputs as JSON, YAML or text, Unicode as it is."""

from __future__ import annotations

import json

import pytest
import yaml

from raikoo.output import render

OUTPUTS = {
    "greeting": "Grüße, 日本 [ok]",
    "report": "| a | b |\n| 1 | 2 |\n",
    "count": 3,
    "ok": True,
    "nothing": None,
    "files": [{"name": "orders.csv", "rows": 3}, "plain"],
    "empty": {},
}


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_json_and_yaml_read_back_to_the_outputs(fmt: str) -> None:
    text = render(OUTPUTS, fmt)  # type: ignore[arg-type]
    assert (json.loads(text) if fmt == "json" else yaml.safe_load(text)) == OUTPUTS
    assert "日本" in text
    assert "\\u" not in text


def test_yaml_writes_multi_line_text_as_a_block() -> None:
    assert "report: |\n  | a | b |\n  | 1 | 2 |\n" in render(OUTPUTS, "yaml")


def test_text_is_a_key_value_listing() -> None:
    assert render(OUTPUTS, "text") == (
        "greeting: Grüße, 日本 [ok]\n"
        "report:\n"
        "  | a | b |\n"
        "  | 1 | 2 |\n"
        "count: 3\n"
        "ok: true\n"
        "nothing: null\n"
        "files:\n"
        "  - name: orders.csv\n"
        "    rows: 3\n"
        "  - plain\n"
        "empty: (none)\n"
    )
