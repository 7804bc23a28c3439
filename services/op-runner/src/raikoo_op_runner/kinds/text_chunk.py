"""``text.chunk``: cut text into overlapping chunks for embeddings and LLM prompts."""

import asyncio
import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    field_validator,
)

from raikoo_common.runner import Kind, OperationContext, OperationError
from raikoo_op_runner.kinds import _chunking
from raikoo_op_runner.kinds._text import check_pattern, compile_separator
from raikoo_op_runner.kinds._tokenizers import TokenizerUnavailable, get_tokenizer


class SeparatorPattern(BaseModel):
    model_config = ConfigDict(extra="forbid")

    regex: Annotated[str, AfterValidator(check_pattern)] = Field(
        description="A regular expression (Python syntax); the text it matches stays at the "
        "end of the piece before it."
    )


SENTENCE_END = SeparatorPattern(regex=r"(?<=[.!?…])\s+|(?<=[。！？])")


def _separator_form(value: object) -> str:
    return "text" if isinstance(value, str) else "regex"


# Tagged so that a bad pattern is reported once, not once per member of the union.
Separator = Annotated[
    Annotated[str, Field(min_length=1), Tag("text")] | Annotated[SeparatorPattern, Tag("regex")],
    Discriminator(_separator_form),
]


class TextChunkConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The text to chunk.")
    by: Literal["characters", "separators", "tokens"] = Field(
        default="separators",
        description="`characters`: fixed windows of `size` characters. `separators`: split at "
        "paragraphs, then lines, sentences and words as needed, and join the pieces back into "
        "chunks of at most `size` characters. `tokens`: windows of `size` tokens.",
    )
    # Declared before `overlap`, whose check reads it.
    size: int = Field(
        default=1000,
        ge=1,
        le=10_000_000,
        description="Largest chunk: characters, or tokens with `by: tokens`.",
    )
    overlap: int = Field(
        default=0,
        ge=0,
        description="How much of the end of a chunk the next one repeats, in the unit of "
        "`size`; smaller than `size`. With `by: separators` it is a maximum, made of whole "
        "pieces.",
    )
    separators: list[Separator] = Field(
        default=["\n\n", "\n", SENTENCE_END, " "],
        min_length=1,
        description="With `by: separators`: where to split, most preferred first. A string "
        "is literal; `{regex: ...}` is a regular expression. Default: paragraphs, lines, "
        "sentence ends, spaces. Characters are the last resort.",
    )
    tokenizer: Literal["approximate", "o200k_base", "cl100k_base"] = Field(
        default="o200k_base",
        description="With `by: tokens`: how to count tokens. `o200k_base` (GPT-4o family) "
        "and `cl100k_base` (GPT-4, GPT-3.5) count exactly, offline; `approximate` is a "
        "faster deterministic estimate (about ±12% of o200k_base on typical text).",
    )
    strip: bool = Field(
        default=True,
        description="Trim whitespace at the edges of each chunk (offsets follow) and leave out "
        "chunks that are only whitespace.",
    )

    @field_validator("overlap")
    @classmethod
    def _overlap_below_size(cls, overlap: int, info: ValidationInfo) -> int:
        size = info.data.get("size")
        if isinstance(size, int) and overlap >= size:
            raise ValueError(f"overlap ({overlap}) must be smaller than size ({size})")
        return overlap


class Chunk(BaseModel):
    index: int = Field(description="Position of the chunk, from 0.")
    text: str = Field(description="The chunk: exactly the original text from `start` to `end`.")
    start: int = Field(description="Offset of the chunk's first character in the text.")
    end: int = Field(description="Offset just after the chunk's last character.")


class TextChunkOutput(BaseModel):
    chunks: list[Chunk] = Field(description="The chunks, in the order of the text.")
    count: int = Field(description="How many chunks there are.")
    tokenizer: str | None = Field(
        default=None, description="The tokenizer that counted, with `by: tokens`."
    )


async def execute(config: TextChunkConfig, context: OperationContext) -> TextChunkOutput:
    # Tokenizing or splitting a long document takes a while: keep the event loop free.
    return await asyncio.to_thread(_chunk, config)


def _chunk(config: TextChunkConfig) -> TextChunkOutput:
    text, size, overlap = config.text, config.size, config.overlap
    tokenizer_name = None
    if config.by == "characters":
        spans = _chunking.by_characters(text, size, overlap)
    elif config.by == "separators":
        patterns = [_compile(separator, index) for index, separator in enumerate(config.separators)]
        spans = _chunking.by_separators(text, size, overlap, patterns)
    else:
        tokenizer_name = config.tokenizer
        spans = _chunking.by_tokens(text, size, overlap, _token_spans(text, config.tokenizer))
    spans = _chunking.stripped(text, spans) if config.strip else [s for s in spans if s[0] < s[1]]
    chunks = [
        Chunk(index=index, text=text[start:end], start=start, end=end)
        for index, (start, end) in enumerate(spans)
    ]
    return TextChunkOutput(chunks=chunks, count=len(chunks), tokenizer=tokenizer_name)


def _compile(separator: Separator, index: int) -> re.Pattern[str]:
    if isinstance(separator, SeparatorPattern):
        return compile_separator(
            separator.regex, regex=True, ignore_case=False, where=f"separators[{index}].regex"
        )
    return compile_separator(separator, regex=False, ignore_case=False, where="")


def _token_spans(text: str, name: str) -> list[tuple[int, int]]:
    try:
        return get_tokenizer(name).spans(text)
    except TokenizerUnavailable as error:
        raise OperationError(str(error), kind="tokenizer_unavailable", retryable=False) from None
    except ValueError as error:
        raise OperationError(f"text: {error}", kind="invalid_input", retryable=False) from None


KIND = Kind(
    name="text.chunk",
    family="programmatic",
    config=TextChunkConfig,
    output=TextChunkOutput,
    execute=execute,
    summary="Cuts text into overlapping chunks (by characters, separators or tokens) with offsets.",
)
