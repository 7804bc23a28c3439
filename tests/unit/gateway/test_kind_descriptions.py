"""The gateway describes a kind (its JSON Schemas) the first time it is asked for, once."""

from __future__ import annotations

from typing import Any

import pytest

from raikoo_common.runner.kind import Kind
from raikoo_gateway.catalog import full_catalog
from raikoo_gateway.context import KindDescriptions


def test_each_kind_is_described_on_first_use_and_only_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    described: list[str] = []
    describe = Kind.describe

    def counted(self: Kind[Any]) -> dict[str, Any]:
        described.append(self.name)
        return describe(self)

    monkeypatch.setattr(Kind, "describe", counted)
    catalog = full_catalog()
    kinds = KindDescriptions(catalog)

    assert sorted(kinds) == sorted(catalog)
    assert len(kinds) == len(catalog)
    assert "http.request" in kinds
    assert described == []  # listing names describes nothing

    first = kinds["http.request"]
    assert first["family"] == "programmatic"
    assert first["config_schema"]["type"] == "object"
    assert kinds["http.request"] is first
    assert described == ["http.request"]
    with pytest.raises(KeyError):
        kinds["no.such.kind"]
