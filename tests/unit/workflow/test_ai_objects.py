"""Named AI objects: finding the names a workflow gives, and putting the pinned objects in
their place when an operation is dispatched."""

from __future__ import annotations

from typing import Any

import pytest

from raikoo_common.workflow.ai_objects import ObjectNotPinned, inline, references

PINS: dict[str, Any] = {
    "providers": {
        "llm": {
            "version": 2,
            "scope": "organization",
            "spec": {
                "kind": "compatible",
                "base_url": "https://llm.example.com/v1",
                "api_key": "{{ secrets.LLM_KEY }}",
                "default_model": "small",
                "allowed_models": ["small", "large"],
            },
        }
    },
    "personas": {
        "analyst@1": {
            "version": 1,
            "scope": "project",
            "spec": {
                "instructions": "Analyse {{ inputs.topic }}.",
                "provider": "llm",
                "tools": ["search"],
                "temperature": 0.1,
            },
        }
    },
    "tools": {
        "search": {
            "version": 1,
            "scope": "project",
            "spec": {
                "type": "http",
                "name": "search",
                "url": "https://search.example.com/?q={{ args.q }}",
                "headers": {"X-Key": "{{ secrets.SEARCH }}"},
            },
        }
    },
}


def _render(value: Any, where: str) -> Any:
    """Stands for the scheduler's rendering: marks what it was given."""
    if isinstance(value, dict):
        return {key: f"rendered({item})" for key, item in value.items()}
    return f"rendered({value})"


def test_references_are_found_with_where_they_are_written() -> None:
    document = {
        "operations": {
            "a": {"uses": "ai.prompt", "with": {"persona": "analyst", "tools": ["x", {}]}},
            "loop": {
                "uses": "foreach",
                "with": {"items": [1]},
                "do": {"uses": "ai.embed", "with": {"provider": "llm", "input": "t"}},
            },
            "other": {"uses": "set", "with": {"persona": "not-an-ai-op"}},
        }
    }
    found = [(ref.kind, ref.key, ref.loc) for ref in references(document)]
    assert found == [
        ("persona", "analyst", ("operations", "a", "with", "persona")),
        ("tool", "x", ("operations", "a", "with", "tools", 0)),
        ("provider", "llm", ("operations", "loop", "do", "with", "provider")),
    ]


def test_a_pinned_persona_is_inlined_with_its_connection_and_tools() -> None:
    config = {"persona": {"name": "analyst", "version": 1}, "prompt": "Go", "temperature": 0.9}
    result = inline("ai.prompt", config, PINS, _render)
    persona = result["persona"]
    assert persona["name"] == "analyst"
    assert persona["instructions"] == "rendered(Analyse {{ inputs.topic }}.)"
    assert persona["provider"]["api_key"] == "rendered({{ secrets.LLM_KEY }})"
    assert "default_model" not in persona["provider"]
    assert persona["tools"][0]["url"] == "https://search.example.com/?q={{ args.q }}"  # runner's
    assert persona["tools"][0]["headers"] == {"X-Key": "rendered({{ secrets.SEARCH }})"}
    assert result["model"] == "small"  # the connection's default
    assert result["temperature"] == 0.9  # the operation's own value stays


def test_a_model_outside_the_allowed_list_fails_at_dispatch() -> None:
    config = {"provider": "llm", "model": "huge", "prompt": "Go"}  # a template gave "huge"
    with pytest.raises(ObjectNotPinned, match="'huge' is not allowed by provider connection 'llm'"):
        inline("ai.prompt", config, PINS, _render)


def test_a_name_the_version_did_not_pin_fails_clearly() -> None:
    with pytest.raises(ObjectNotPinned, match="tool 'other' was not pinned"):
        inline("ai.prompt", {"tools": ["other"], "prompt": "x"}, PINS, _render)


def test_inline_objects_and_other_kinds_are_left_alone() -> None:
    config = {"persona": {"instructions": "x"}, "provider": {"kind": "openai"}, "prompt": "x"}
    assert inline("ai.prompt", config, PINS, _render) == config
    assert inline("set", {"provider": "llm"}, PINS, _render) == {"provider": "llm"}
