"""Finding NUL (U+0000), which PostgreSQL cannot store, in data and in request bodies."""

from __future__ import annotations

import orjson
from hypothesis import given
from hypothesis import strategies as st

from raikoo_common.nul import escaped_nul_in, find_nul


def test_find_nul_gives_the_path_to_the_first_string_or_key_holding_it() -> None:
    assert find_nul("a\x00") == ()
    assert find_nul({"a": [1, {"b": "x\x00"}]}) == ("a", 1, "b")
    assert find_nul({"k\x00": 1}) == ("k\x00",)
    assert find_nul(({"a": None}, ["\x00"])) == (1, 0)


def test_text_that_only_looks_like_an_escape_is_not_nul() -> None:
    quoted = {"text": "a literal \\u0000 is six characters"}
    assert find_nul(quoted) is None
    assert not escaped_nul_in(orjson.dumps(quoted))
    assert escaped_nul_in(orjson.dumps({"text": "\\\x00"}))  # a backslash, then NUL
    assert escaped_nul_in(b"raw \x00 byte")


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=20,
)


@given(JSON)
def test_the_body_check_agrees_with_the_data_check(value: object) -> None:
    body = orjson.dumps(value)
    assert escaped_nul_in(body) == (find_nul(value) is not None)
