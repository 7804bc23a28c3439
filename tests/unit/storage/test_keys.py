"""Key rules: what every store accepts, how file names become key segments, tenancy."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from raikoo_common.storage import (
    InvalidArtifactKey,
    artifact_key,
    key_belongs_to,
    sanitize_name,
    split_key,
    validate_key,
)
from raikoo_common.storage.keys import MAX_SEGMENT_BYTES, split_prefix

ORG = uuid.UUID("0b7c6f57-3f5e-4a83-9a55-5f1c8f7e2d10")
RUN = uuid.UUID("5d0f5b8e-8c61-4d3e-b1b4-0f2f4c9a7e31")


@pytest.mark.parametrize(
    "key",
    ["a", "org/run/op/file.txt", "org/run/op/données 2024 ✓.csv", "a/b~c%d/.env", "a/" + "é" * 120],
)
def test_valid_keys(key: str) -> None:
    assert validate_key(key) == key


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("", "non-empty"),
        ("/etc/passwd", "absolute"),
        ("a\\b", "backslash"),
        ("a//b", "segment 2 .* is empty"),
        ("a/b/", "segment 3 .* is empty"),
        ("../a", "segment 1 .* relative"),
        ("a/../../b", "segment 2 .* relative"),
        ("a/./b", "segment 2 .* relative"),
        ("a/b.", "ends with '.'"),
        ("a/b ", "ends with ' '"),
        ("a/b\x00c", "U\\+0000"),
        ("a/b\nc", "U\\+000A"),
        ("a/b\x9bc", "U\\+009B"),
        ("a/b\u2028c", "U\\+2028"),
        ("x" * 1025, "1025 characters"),
        ("/".join("x" * 255), "255 segments"),
        ("a/" + "é" * 121, f"longer than {MAX_SEGMENT_BYTES} bytes"),
    ],
)
def test_invalid_keys_say_which_rule(key: str, reason: str) -> None:
    with pytest.raises(InvalidArtifactKey, match=reason):
        validate_key(key)


def test_invalid_key_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="relative"):
        validate_key("../x")


@pytest.mark.parametrize(("prefix", "segments"), [("org/run", ["org", "run"]), ("org/", ["org"])])
def test_prefixes(prefix: str, segments: list[str]) -> None:
    assert split_prefix(prefix) == segments


@pytest.mark.parametrize("prefix", ["", "/", "//", "org//", "/org"])
def test_prefix_must_name_a_segment(prefix: str) -> None:
    with pytest.raises(InvalidArtifactKey):
        split_prefix(prefix)


@pytest.mark.parametrize(
    ("name", "sanitized"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\me\\report.pdf", "report.pdf"),
        ("a\x00b\tc.txt", "a_b_c.txt"),
        ('a<b>:c"d|e?f*g.txt', "a_b__c_d_e_f_g.txt"),
        ("\u202etxt.exe", "_txt.exe"),
        ("  name. . ", "name"),
        ("", "artifact"),
        ("..", "artifact"),
        ("dir/", "artifact"),
        ("e\u0301te.txt", "\u00e9te.txt"),
    ],
)
def test_sanitize_name(name: str, sanitized: str) -> None:
    assert sanitize_name(name) == sanitized


def test_long_names_keep_their_extension() -> None:
    cut = sanitize_name("x" * 400 + ".pdf")
    assert cut.endswith(".pdf")
    assert len(cut.encode()) <= MAX_SEGMENT_BYTES
    multibyte = sanitize_name("€" * 200 + ".csv")
    assert multibyte == "€" * 78 + ".csv"  # cut on a character boundary


def test_artifact_key_layout() -> None:
    key = artifact_key(ORG, RUN, "fetch", "../Report Q1.pdf")
    assert key == f"{ORG}/{RUN}/fetch/Report Q1.pdf"
    assert split_key(key)[:3] == [str(ORG), str(RUN), "fetch"]


@pytest.mark.parametrize(
    ("org", "run", "op"), [("a/b", "run", "op"), ("org", "r/x", "op"), ("org", "run", "o/p")]
)
def test_artifact_key_ids_are_single_segments(org: str, run: str, op: str) -> None:
    with pytest.raises(InvalidArtifactKey, match="must not contain '/'"):
        artifact_key(org, run, op, "x.txt")


def test_artifact_key_refuses_relative_ids() -> None:
    with pytest.raises(InvalidArtifactKey, match="relative"):
        artifact_key(ORG, "..", "op", "x.txt")


@given(name=st.text(max_size=400))
def test_any_file_name_gives_a_valid_key_inside_the_run(name: str) -> None:
    key = artifact_key(ORG, RUN, "op", name)
    segments = split_key(key)
    assert len(segments) == 4
    assert key_belongs_to(key, ORG, RUN)


def test_key_belongs_to() -> None:
    key = artifact_key(ORG, RUN, "op", "x.json")
    assert key_belongs_to(key, ORG)
    assert key_belongs_to(key, str(ORG), str(RUN))
    assert not key_belongs_to(key, uuid.uuid4())
    assert not key_belongs_to(key, ORG, uuid.uuid4())
    assert not key_belongs_to(str(ORG), ORG)  # the org itself is not an artifact in it
    assert not key_belongs_to(f"{ORG}/{RUN}", ORG, RUN)
    assert not key_belongs_to("org10/run/x", "org1")
    assert not key_belongs_to(f"{ORG}/../other/x", ORG)
    assert not key_belongs_to(f"/{ORG}/{RUN}/x", ORG, RUN)
