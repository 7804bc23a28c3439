"""Artifact references as they travel inside JSON values."""

from __future__ import annotations

import hashlib

import orjson
import pytest
from pydantic import ValidationError

from raikoo_common.storage import ArtifactRef, as_artifact_ref, is_artifact_ref, iter_artifact_refs

SHA = hashlib.sha256(b"x").hexdigest()


def ref(key: str = "org/run/op/out.json", **fields: object) -> ArtifactRef:
    data: dict[str, object] = {"key": key, "size": 1, "content_type": "application/json"}
    return ArtifactRef.model_validate({**data, "sha256": SHA, **fields})


def test_uri_is_derived_from_the_key() -> None:
    assert ref().uri == "artifact://org/run/op/out.json"


def test_uri_must_match_the_key() -> None:
    with pytest.raises(ValidationError, match="does not match key"):
        ref(uri="artifact://org/other/op/out.json")


def test_json_form_round_trips_through_bytes() -> None:
    original = ref(name="Out file.json")
    wire = orjson.dumps({"output": original.to_json()})
    assert orjson.loads(wire) == {
        "output": {
            "$artifact": {
                "uri": "artifact://org/run/op/out.json",
                "key": "org/run/op/out.json",
                "size": 1,
                "content_type": "application/json",
                "sha256": SHA,
                "name": "Out file.json",
            }
        }
    }
    assert ArtifactRef.from_json(orjson.loads(wire)["output"]) == original


def test_name_is_left_out_when_absent() -> None:
    assert "name" not in ref().to_json()["$artifact"]


@pytest.mark.parametrize(
    "value",
    [
        None,
        "artifact://org/run/op/out.json",
        {"$artifact": "org/run/op/out.json"},
        {"$artifact": {}},
        {**ref().to_json(), "other": 1},
        {"$artifact": {**ref().to_json()["$artifact"], "sha256": "not-hex"}},
        {"$artifact": {**ref().to_json()["$artifact"], "key": "../etc/passwd"}},
        {"$artifact": {**ref().to_json()["$artifact"], "size": -1}},
        {"$artifact": {**ref().to_json()["$artifact"], "extra": True}},
        [ref().to_json()],
    ],
)
def test_values_that_are_not_references(value: object) -> None:
    assert not is_artifact_ref(value)
    assert as_artifact_ref(value) is None


def test_from_json_explains_a_non_reference() -> None:
    with pytest.raises(ValueError, match="not an artifact reference"):
        ArtifactRef.from_json({"key": "org/run/op/out.json"})


def test_references_are_immutable() -> None:
    with pytest.raises(ValidationError):
        ref().size = 2  # type: ignore[misc]


def test_iter_artifact_refs_finds_every_nested_reference_in_order() -> None:
    first, second, third = (ref(f"org/run/op/{n}") for n in ("a", "b", "c"))
    value = {
        "items": [first.to_json(), {"deep": {"x": second.to_json()}}, 3, "text"],
        "last": third.to_json(),
        "fake": {"$artifact": {"key": "org/run/op/d"}},
    }
    assert list(iter_artifact_refs(value)) == [first, second, third]
    assert list(iter_artifact_refs(first.to_json())) == [first]
    assert list(iter_artifact_refs([1, "x", None])) == []
