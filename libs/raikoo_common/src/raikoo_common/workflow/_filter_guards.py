"""Every filter of the environment, with the one rule that bounds it.

Each filter application spends a step and its result is measured (``_budget``); a lazy
result (``map``, ``select``, ``batch``…) spends a step per item it gives. On top of that
every filter has a ``Rule`` (a test checks that none is missing):

- ``text``: the filter works on the text of its value (``upper``, ``center``…), which is
  made by the text rule first (``_text``): data only, measured, no addresses.
- ``estimate``: an argument sets the size of the result (``center(width)``, ``batch(n)``,
  ``indent(width)``, ``replace``, ``urlize(target=…)``, ``format_date(format)``); the size
  is estimated from the value and the arguments, before the filter runs.
- filters that write the values inside their input (``join``, ``sum``, ``string``,
  ``pprint``, ``format``, ``urlencode``, ``xmlattr``) are replaced by versions that do it
  by the text rule, counting as they go.

A filter whose result is at most a small multiple of its input (``upper`` 3 times, ``escape``
6 times, ``wordwrap`` with a short wrapstring 3 times) is measured after it runs.

Wrapped filters take the context (``pass_context``), which also keeps Jinja from running
them when it compiles a template with constant arguments, outside any render's budget.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Undefined, pass_context, pass_environment
from jinja2 import filters as jinja_filters
from jinja2.environment import Environment
from jinja2.exceptions import FilterArgumentError
from jinja2.filters import make_attrgetter
from jinja2.nodes import EvalContext
from jinja2.runtime import Context
from jinja2.utils import _PassArg, generate_lorem_ipsum, url_quote

from raikoo_common.workflow._budget import RenderBudget, budget, spend
from raikoo_common.workflow._formatting import printf, strftime_size
from raikoo_common.workflow._methods import replaced_size
from raikoo_common.workflow._size_guards import binop
from raikoo_common.workflow._text import as_repr, as_text, is_lazy


@dataclass(frozen=True, slots=True)
class Rule:
    text: bool = False
    """The value is written as text (by the text rule) before the filter sees it."""
    estimate: Callable[..., int] | None = None
    """The size of the result from the filter's arguments, checked before it runs."""
    makes: str = "string"
    """What the estimate counts: a ``string``'s characters or a ``list``'s items."""
    visits: str | None = None
    """``items``: the filter visits every item (every character of text) in Python code,
    in one call (``sort`` with its key, ``groupby``): it spends a step per item before it
    runs, and each item it looks up (its ``attribute``) ticks the budget, so the clock is
    read during the call. ``text``: it works through text in Python (``wordwrap``): a step
    per ``CHARACTERS_PER_STEP`` characters, before it runs."""


CHARACTERS_PER_STEP = 16


MEASURED = Rule()
TEXT = Rule(text=True)
VISITS = Rule(visits="items")


def _number(value: Any) -> int:
    return value if isinstance(value, int) else 0


def _center(value: str, width: Any = 80) -> int:
    return max(len(value), _number(width))


def _indent(value: str, width: Any = 4, *_: Any, **__: Any) -> int:
    step = len(width) if isinstance(width, str) else _number(width)
    return len(value) + (value.count("\n") + 1) * step


def _wordwrap(
    value: str, width: Any = 79, long: Any = True, wrapstring: Any = None, *_: Any
) -> int:
    # Lines are never shorter than one character: at most len + 1 of them.
    joint = len(wrapstring) if isinstance(wrapstring, str) else 1
    return 0 if joint <= 2 else len(value) + (len(value) + 1) * joint


def _urlize(
    value: str,
    trim_url_limit: Any = None,
    nofollow: Any = False,
    target: Any = None,
    rel: Any = None,
    *_: Any,
) -> int:
    # Every link holds a dot, an @ or a colon; each gets the tag and the target and rel.
    links = value.count(".") + value.count("@") + value.count(":")
    extra = sum(len(x) for x in (target, rel) if isinstance(x, str))
    return links * (64 + extra)


def _strftime(_value: Any, format: Any = None, *_: Any) -> int:
    return strftime_size(format) if isinstance(format, str) else 0


def _count(_value: Any, count: Any, *_: Any) -> int:
    return _number(count)


@pass_environment
def join(environment: Environment, value: Any, d: Any = "", attribute: Any = None) -> str:
    """Jinja's ``join``: each item written by the text rule, the total checked first."""
    if attribute is not None:
        value = map(make_attrgetter(environment, attribute), value)
    current = budget()
    texts = []
    for item in value:
        current.spend()
        texts.append(as_text(item, "join"))
    separator = as_text(d, "join")
    size = sum(map(len, texts)) + len(separator) * max(len(texts) - 1, 0)
    current.expect(size, "string", "join")
    return separator.join(texts)


@pass_environment
def sum_(environment: Environment, iterable: Any, attribute: Any = None, start: Any = 0) -> Any:
    """Jinja's ``sum``, adding with the checked ``+`` (lists and text grow as they add)."""
    if attribute is not None:
        iterable = map(make_attrgetter(environment, attribute), iterable)
    total = start
    for item in iterable:
        spend()
        total = binop("+", total, item)
    return total


def string(value: Any) -> str:
    return as_text(value, "string")


def pprint(value: Any) -> str:
    """Python's own writing of a value (on one line), for data only."""
    return as_repr(value, "pprint")


def format_(value: Any, *args: Any, **kwargs: Any) -> str:
    if args and kwargs:
        raise FilterArgumentError("can't handle positional and keyword arguments at the same time")
    return printf(as_text(value, "format"), kwargs or args, "format")


def replace(value: Any, old: Any, new: Any, count: Any = None) -> str:
    """Jinja's ``replace``: ``old`` and ``new`` written by the text rule, the size estimated."""
    text, old_text, new_text = (as_text(x, "replace") for x in (value, old, new))
    size = replaced_size(text, old_text, new_text, -1 if count is None else count)
    budget().expect(size, "string", "replace")
    return text.replace(old_text, new_text, -1 if count is None else count)


def urlencode(value: Any) -> str:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return url_quote(as_text(value, "urlencode"))
    pairs = value.items() if isinstance(value, Mapping) else value
    return "&".join(
        f"{url_quote(as_text(k, 'urlencode'), for_qs=True)}="
        f"{url_quote(as_text(v, 'urlencode'), for_qs=True)}"
        for k, v in pairs
    )


@pass_environment
def xmlattr(environment: Environment, d: Mapping[Any, Any], autospace: bool = True) -> str:
    texts = {
        as_text(key, "xmlattr"): as_text(value, "xmlattr")
        for key, value in d.items()
        if value is not None and not isinstance(value, Undefined)
    }
    eval_context = EvalContext(environment)
    return str(jinja_filters.do_xmlattr(eval_context, texts, autospace))


def lipsum(n: Any = 5, html: Any = True, min: Any = 20, max: Any = 100) -> str:
    """Jinja's ``lipsum()``: at most ``n * max`` words, of at most 16 characters each."""
    words = _number(n) * _number(max)
    current = budget()
    current.expect(words * 16, "string", "lipsum")
    current.spend(words // 10)
    return str(generate_lorem_ipsum(n, html, min, max))


REPLACED: dict[str, Callable[..., Any]] = {
    "join": join,
    "sum": sum_,
    "string": string,
    "pprint": pprint,
    "format": format_,
    "replace": replace,
    "urlencode": urlencode,
    "xmlattr": xmlattr,
}
"""Jinja's filters that write the values inside their input, rewritten by the text rule."""

RULES: dict[str, Rule] = {
    **dict.fromkeys(
        [
            "abs", "attr", "count", "d", "default", "filesizeformat", "first", "float",
            "int", "items", "last", "length", "list", "map", "random", "reject",
            "rejectattr", "reverse", "round", "select", "selectattr", *REPLACED,
            # Raikoo's data, text and date filters (bounded by their input, or inside)
            "tojson", "fromjson", "jmespath", "b64encode", "b64decode", "slugify",
            "todatetime", "parse_date", "date_add", "add_days", "timestamp",
        ],
        MEASURED,
    ),
    **dict.fromkeys(["dictsort", "groupby", "max", "min", "sort", "unique", "flatten"], VISITS),
    **dict.fromkeys(
        [
            "capitalize", "e", "escape", "forceescape", "lower", "safe", "striptags",
            "title", "trim", "truncate", "upper", "wordcount",
        ],
        TEXT,
    ),
    "batch": Rule(estimate=_count, makes="list"),
    "slice": Rule(estimate=_count, makes="list"),
    "center": Rule(text=True, estimate=_center),
    "indent": Rule(text=True, estimate=_indent, visits="text"),
    "wordwrap": Rule(text=True, estimate=_wordwrap, visits="text"),
    "urlize": Rule(text=True, estimate=_urlize, visits="text"),
    "format_date": Rule(estimate=_strftime),
    "strftime": Rule(estimate=_strftime),
}  # fmt: skip


def guarded_filters(filters: Mapping[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """Each filter wrapped with its rule; a filter without one is an error at start-up."""
    missing = sorted(set(filters) - set(RULES))
    if missing:
        raise RuntimeError(f"filters without a bounding rule: {', '.join(missing)}")
    return {
        name: _guard(name, REPLACED.get(name, function), RULES[name])
        for name, function in filters.items()
    }


def _guard(name: str, function: Callable[..., Any], rule: Rule) -> Callable[..., Any]:
    pass_arg = _PassArg.from_obj(function)

    def guarded(context: Context, *args: Any, **kwargs: Any) -> Any:
        current = budget()
        current.spend()
        if args:
            value = args[0]
            if rule.text and type(value) is not str:
                value = as_text(value, name)
                args = (value, *args[1:])
            if isinstance(value, str | list | tuple | dict):
                if rule.visits == "items":
                    current.spend(len(value))
                elif rule.visits == "text":
                    current.spend(len(value) // CHARACTERS_PER_STEP)
                current.touch(len(value))
        if rule.estimate is not None:
            try:
                size = rule.estimate(*args, **kwargs)
            except TypeError:
                size = 0  # wrong arguments: the filter itself says what is wrong
            current.expect(size, rule.makes, name)
        if pass_arg is None:
            result = function(*args, **kwargs)
        elif pass_arg is _PassArg.context:
            result = function(context, *args, **kwargs)
        elif pass_arg is _PassArg.environment:
            environment = context.environment
            if rule.visits == "items":
                environment = _Ticking(environment, current)  # type: ignore[assignment]
            result = function(environment, *args, **kwargs)
        else:
            result = function(context.eval_ctx, *args, **kwargs)
        if is_lazy(result):
            return _building(result, name) if builds else _stepped(result)
        current.charge(result, name)
        return result

    builds = name in BUILD_ITEMS
    guarded.__name__ = guarded.__qualname__ = name
    guarded.__doc__ = function.__doc__
    return pass_context(guarded)


BUILD_ITEMS = frozenset({"batch", "slice", "items"})
"""Lazy filters that build each item they give (a list, a pair): each item is measured."""
LAZY_ITEMS_PER_STEP = 16
"""Items a lazy filter (``map``, ``select``…) gives for one step of the budget."""


class _Ticking:
    """The environment as a filter that visits every item sees it: each item it looks up
    (``make_attrgetter``) ticks the budget, so a long ``sort`` reads the clock."""

    def __init__(self, environment: Environment, current: RenderBudget) -> None:
        self._environment = environment
        self._budget = current

    def getitem(self, obj: Any, argument: Any) -> Any:
        self._budget.tick()
        return self._environment.getitem(obj, argument)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._environment, name)


def _stepped(items: Iterable[Any]) -> Iterator[Any]:
    current = budget()
    countdown = LAZY_ITEMS_PER_STEP
    for item in items:
        countdown -= 1
        if not countdown:
            countdown = LAZY_ITEMS_PER_STEP
            current.spend()
        yield item


def _building(items: Iterable[Any], name: str) -> Iterator[Any]:
    current = budget()
    for item in items:
        current.spend()
        current.charge(item, name)
        yield item
