"""text.split and text.chunk, with the offline token estimate they rely on."""

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from raikoo_common.runner import Kind
from raikoo_common.workflow import DefinitionInvalid, validate_definition
from raikoo_op_runner.kinds import catalog, text_chunk, text_split
from raikoo_op_runner.kinds._text import is_cluster_boundary
from raikoo_op_runner.kinds._tokenizers import ApproximateTokenizer, get_tokenizer
from tests.unit.kinds._run import context, run_kind

CONTEXT = context("text")
FAMILY = "👨\u200d👩\u200d👧"  # one user-perceived character, five code points


async def run(kind: Kind[Any], config: dict[str, Any]) -> Any:
    return await run_kind(kind, config)


async def split(text: str, **config: Any) -> list[str]:
    output = await run(text_split.KIND, {"text": text, **config})
    assert output["count"] == len(output["parts"])
    return list(output["parts"])


async def chunk(text: str, **config: Any) -> list[dict[str, Any]]:
    output = await run(text_chunk.KIND, {"text": text, **config})
    chunks: list[dict[str, Any]] = output["chunks"]
    assert output["count"] == len(chunks)
    assert [c["index"] for c in chunks] == list(range(len(chunks)))
    for c in chunks:  # offsets always slice the original text exactly
        assert text[c["start"] : c["end"]] == c["text"]
    return chunks


def test_both_kinds_are_discovered() -> None:
    assert catalog()["text.split"] is text_split.KIND
    assert catalog()["text.chunk"] is text_chunk.KIND


# --- text.split ----------------------------------------------------------------------------


async def test_splits_lines_by_default() -> None:
    assert await split("a\nb\n\nc") == ["a", "b", "", "c"]


async def test_strip_and_drop_empty() -> None:
    assert await split(" a , b ,, c ", separator=",", strip=True, drop_empty=True) == [
        "a",
        "b",
        "c",
    ]
    assert await split("a,,b", separator=",", drop_empty=True) == ["a", "b"]


async def test_max_splits_keeps_the_rest_together() -> None:
    assert await split("k=v=w", separator="=", max_splits=1) == ["k", "v=w"]


async def test_a_literal_separator_is_not_a_pattern() -> None:
    assert await split("a.b|c", separator=".") == ["a", "b|c"]
    assert await split("1 AND 2 and 3", separator=" and ", ignore_case=True) == ["1", "2", "3"]


async def test_regex_separators_and_their_groups() -> None:
    assert await split("a1b22c", separator=r"\d+", regex=True) == ["a", "b", "c"]
    assert await split("a, b;c", separator=r"(,|;)\s*", regex=True) == ["a", "b", "c"]
    assert await split("HelloBigWorld", separator="(?=[A-Z])", regex=True) == [
        "Hello",
        "Big",
        "World",
    ]


@pytest.mark.parametrize(
    ("separator", "fragment"),
    [
        ("(unclosed", "missing ), unterminated subpattern at position 1"),
        (r"\s*", "matches the empty string"),
        ("a|", "matches the empty string"),
    ],
)
def test_bad_patterns_are_refused_at_definition_time(separator: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        text_split.TextSplitConfig.model_validate(
            {"text": "", "separator": separator, "regex": True}
        )
    assert fragment in str(caught.value)
    # Without `regex` the same string is a plain separator.
    text_split.TextSplitConfig.model_validate({"text": "", "separator": separator})


def test_a_templated_pattern_is_checked_once_rendered() -> None:
    document = {
        "apiVersion": "raikoo/v1",
        "kind": "Workflow",
        "name": "split",
        "inputs": {"sep": {"type": "string"}},
        "operations": {
            "good": {
                "uses": "text.split",
                "with": {"text": "x", "regex": True, "separator": "{{ inputs.sep }}"},
            },
            "bad": {"uses": "text.split", "with": {"text": "x", "regex": True, "separator": "("}},
        },
    }
    with pytest.raises(DefinitionInvalid) as invalid:
        validate_definition(document, kinds={"text.split": text_split.TextSplitConfig})
    assert [p.path for p in invalid.value.problems] == ["operations.bad.with.separator"]


@given(st.text(max_size=60), st.sampled_from([",", "ab", "\n", "é"]))
async def test_literal_split_matches_python(text: str, separator: str) -> None:
    assert await split(text, separator=separator) == text.split(separator)


# --- text.chunk: validation -----------------------------------------------------------------


def test_overlap_must_be_smaller_than_size() -> None:
    with pytest.raises(ValidationError) as caught:
        text_chunk.TextChunkConfig.model_validate({"text": "x", "size": 10, "overlap": 10})
    assert "overlap (10) must be smaller than size (10)" in str(caught.value)
    assert caught.value.errors()[0]["loc"] == ("overlap",)


def test_separator_patterns_are_checked() -> None:
    with pytest.raises(ValidationError) as caught:
        text_chunk.TextChunkConfig.model_validate(
            {"text": "x", "separators": ["\n", {"regex": "[a-"}]}
        )
    [error] = caught.value.errors()
    assert error["loc"] == ("separators", 1, "regex", "regex")
    assert "unterminated character set at position 1" in error["msg"]
    with pytest.raises(ValidationError, match="at least 1 character"):
        text_chunk.TextChunkConfig.model_validate({"text": "x", "separators": [""]})


# --- text.chunk: characters -----------------------------------------------------------------


async def test_character_windows_overlap_exactly() -> None:
    text = "abcdefghijklmnopqrstuvwxyz"
    chunks = await chunk(text, by="characters", size=10, overlap=3, strip=False)
    assert [c["text"] for c in chunks] == ["abcdefghij", "hijklmnopq", "opqrstuvwx", "vwxyz"]
    for before, after in itertools.pairwise(chunks):
        assert before["end"] - after["start"] == 3


async def test_a_character_cluster_is_never_cut() -> None:
    text = f"ab{FAMILY}cd"
    chunks = await chunk(text, by="characters", size=3, strip=False)
    assert [c["text"] for c in chunks] == ["ab", FAMILY, "cd"]
    # The cluster is longer than size, the one chunk allowed to be.
    assert len(chunks[1]["text"]) == 5 > 3


async def test_combining_marks_stay_with_their_letter() -> None:
    text = "cafe\u0301 ole\u0301"  # decomposed é
    chunks = await chunk(text, by="characters", size=4, strip=False)
    assert [c["text"] for c in chunks] == ["caf", "e\u0301 o", "le\u0301"]


async def test_trimming_never_leaves_a_chunk_inside_another() -> None:
    # The overlap of the second window is only whitespace: trimmed, both would start at "X".
    text = f"\n\n Xc{FAMILY}。{FAMILY}!\nc"
    chunks = await chunk(text, by="characters", size=9, overlap=3)
    assert [c["text"] for c in chunks] == [f"Xc{FAMILY}。", f"。{FAMILY}!\nc"]


async def test_empty_and_blank_texts_have_no_chunks() -> None:
    assert await chunk("", by="characters", size=5) == []
    assert await chunk("   \n\n  ", size=5) == []


# --- text.chunk: separators -----------------------------------------------------------------


ARTICLE = (
    "Raikoo runs workflows. Each operation is a step.\n\n"
    "Operations run when their needs finish. Independent ones run in parallel.\n\n"
    "Short one."
)


async def test_paragraphs_are_kept_whole_when_they_fit() -> None:
    chunks = await chunk(ARTICLE, size=90)
    assert [c["text"] for c in chunks] == [
        "Raikoo runs workflows. Each operation is a step.",
        "Operations run when their needs finish. Independent ones run in parallel.\n\nShort one.",
    ]


async def test_long_paragraphs_split_at_sentences_then_words() -> None:
    chunks = await chunk(ARTICLE, size=40)
    assert [c["text"] for c in chunks] == [
        "Raikoo runs workflows.",
        "Each operation is a step.",
        "Operations run when their needs finish.",
        "Independent ones run in parallel.",
        "Short one.",
    ]
    words = await chunk("alpha beta gamma delta epsilon", size=12)
    assert [c["text"] for c in words] == ["alpha beta", "gamma delta", "epsilon"]


async def test_sentences_of_scripts_without_spaces() -> None:
    chunks = await chunk("今日は晴れです。明日は雨です。", size=9)
    assert [c["text"] for c in chunks] == ["今日は晴れです。", "明日は雨です。"]


async def test_separator_overlap_repeats_whole_pieces() -> None:
    text = "one two three four five six seven eight"
    chunks = await chunk(text, size=15, overlap=6)
    assert [c["text"] for c in chunks] == [
        "one two three",
        "three four",
        "four five six",
        "six seven eight",
    ]


async def test_custom_separators() -> None:
    text = "a;b;c|d;e;f"
    chunks = await chunk(text, size=5, separators=["|", {"regex": ";"}])
    # A separator stays with the text before it: "a;b;c|" is 6 characters, so it splits.
    assert [c["text"] for c in chunks] == ["a;b;", "c|", "d;e;f"]


async def test_a_word_longer_than_size_is_cut_into_characters() -> None:
    chunks = await chunk("tiny supercalifragilistic", size=8)
    assert [c["text"] for c in chunks] == ["tiny", "supercal", "ifragili", "stic"]


# --- text.chunk: tokens ---------------------------------------------------------------------


async def test_token_windows_with_the_estimate() -> None:
    text = "one two three four five six seven"
    config = {"text": text, "by": "tokens", "size": 3, "overlap": 1, "tokenizer": "approximate"}
    output = await run(text_chunk.KIND, config)
    assert output["tokenizer"] == "approximate"
    assert [c["text"] for c in output["chunks"]] == [
        "one two three",
        "three four five",
        "five six seven",
    ]


def test_the_estimate_covers_the_text_with_short_pieces() -> None:
    tokenizer = ApproximateTokenizer()
    text = "Internationalization isn't 12345 tokens!!! 日本語 ok"
    spans = tokenizer.spans(text)
    assert spans[0][0] == 0
    assert spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    pieces = [text[a:b] for a, b in spans]
    assert pieces == [
        "Inter", "natio", "naliz", "ation", " isn", "'t", " ", "123", "45", " tokens", "!!!",
        " 日", "本", "語", " ok",
    ]  # fmt: skip
    assert tokenizer.exact is False


async def test_exact_tokenizers_count_real_tokens() -> None:
    text = "Smoke tests keep releases honest. Ünïcödé 日本語 " + FAMILY
    chunks = await chunk(text, by="tokens", size=4, tokenizer="o200k_base", strip=False)
    assert "".join(c["text"] for c in chunks) == text


# --- text.chunk: invariants -----------------------------------------------------------------

TEXTS = st.lists(st.sampled_from([*"ab cd.\n\tXé\u0301日", FAMILY, "🇫🇷", "\r\n"]), max_size=60).map(
    "".join
)


@settings(max_examples=150, deadline=None)
@given(
    TEXTS,
    st.sampled_from(["characters", "separators", "tokens"]),
    st.integers(1, 30),
    st.integers(0, 29),
    st.booleans(),
)
async def test_chunks_slice_the_text_fit_the_size_and_lose_nothing(
    text: str, by: str, size: int, overlap: int, strip: bool
) -> None:
    overlap = min(overlap, size - 1)
    chunks = await chunk(text, by=by, size=size, overlap=overlap, strip=strip)
    covered = set().union(*(range(c["start"], c["end"]) for c in chunks)) if chunks else set()
    for index, char in enumerate(text):
        assert index in covered or char.isspace()  # only whitespace may fall between chunks
    for before, after in itertools.pairwise(chunks):
        assert before["start"] < after["start"]
        assert before["end"] < after["end"]
    for c in chunks:
        assert is_cluster_boundary(text, c["start"])
        assert is_cluster_boundary(text, c["end"])
        if by == "tokens":
            continue
        inner_boundaries = [
            i for i in range(c["start"] + 1, c["end"]) if is_cluster_boundary(text, i)
        ]
        # Longer than size only when it is one unsplittable character cluster.
        assert len(c["text"]) <= size or not inner_boundaries
    if not strip and overlap == 0:
        assert "".join(c["text"] for c in chunks) == text


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="abcdefghij .,\n", max_size=200), st.integers(2, 40), st.data())
async def test_overlap_never_exceeds_what_was_asked(
    text: str, size: int, data: st.DataObject
) -> None:
    overlap = data.draw(st.integers(0, size - 1))
    for by in ("characters", "separators"):
        chunks = await chunk(text, by=by, size=size, overlap=overlap, strip=False)
        for before, after in itertools.pairwise(chunks):
            assert before["end"] - after["start"] <= overlap
            if by == "characters":  # no clusters in this alphabet: exact
                assert before["end"] - after["start"] == overlap


@settings(max_examples=100, deadline=None)
@given(
    st.text(max_size=150),
    st.integers(1, 12),
    st.sampled_from(["approximate", "o200k_base", "cl100k_base"]),
    st.data(),
)
async def test_token_windows_hold_at_most_size_tokens(
    text: str, size: int, tokenizer: str, data: st.DataObject
) -> None:
    overlap = data.draw(st.integers(0, size - 1))
    spans = get_tokenizer(tokenizer).spans(text)
    chunks = await chunk(
        text, by="tokens", size=size, overlap=overlap, strip=False, tokenizer=tokenizer
    )
    for c in chunks:
        inside = [s for s in spans if s[0] < c["end"] and s[1] > c["start"]]
        if len(inside) > size + 1:  # +1: a window end moved back to a cluster boundary
            # An exact tokenizer may spend several tokens on one character; only a single,
            # unsplittable character cluster may then exceed the size.
            inner = [i for i in range(c["start"] + 1, c["end"]) if is_cluster_boundary(text, i)]
            assert not inner, (c, inside)
