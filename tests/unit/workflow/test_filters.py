"""The data filters of the template language: dates, base64, slugs, unique."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from raikoo_common.workflow import TemplateError, render_value
from raikoo_common.workflow._date_filters import IsoDateTime, now
from raikoo_common.workflow._template_filters import data_filters, data_globals


def render(source: str, **context: Any) -> Any:
    return render_value(source, context)


def failure(source: str, **context: Any) -> str:
    with pytest.raises(TemplateError) as caught:
        render_value(source, context, where="with.when")
    return str(caught.value)


def test_every_filter_is_registered() -> None:
    names = {
        "todatetime", "parse_date", "format_date", "strftime", "date_add", "add_days",
        "timestamp", "b64encode", "b64decode", "slugify", "unique", "jmespath", "tojson",
        "fromjson", "flatten",
    }  # fmt: skip
    assert names <= set(data_filters())
    assert set(data_globals()) == {"now"}


# --- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01T12:30:00Z", "2024-05-01T12:30:00+00:00"),
        ("2024-05-01T12:30:00+02:00", "2024-05-01T12:30:00+02:00"),
        ("2024-05-01 12:30", "2024-05-01T12:30:00+00:00"),  # no offset: UTC
        ("2024-05-01", "2024-05-01T00:00:00+00:00"),
        ("  2024-05-01T12:30:00.250Z ", "2024-05-01T12:30:00.250000+00:00"),
        (1714566600, "2024-05-01T12:30:00+00:00"),
        (1714566600.5, "2024-05-01T12:30:00.500000+00:00"),
    ],
)
def test_todatetime_reads_iso_text_and_epoch_seconds(value: Any, expected: str) -> None:
    # A single expression giving a datetime comes back as ISO 8601 text: it is data.
    assert render("{{ value | todatetime }}", value=value) == expected
    assert render("{{ value | parse_date }}", value=value) == expected


def test_todatetime_with_a_format() -> None:
    assert render("{{ '01/05/2024' | parse_date('%d/%m/%Y') }}") == "2024-05-01T00:00:00+00:00"
    assert (
        render("{{ 'May 1 2024 8pm' | todatetime('%b %d %Y %I%p') }}")
        == "2024-05-01T20:00:00+00:00"
    )


def test_datetimes_are_iso_in_text_and_json_too() -> None:
    assert render("at {{ '2024-05-01' | todatetime }}") == "at 2024-05-01T00:00:00+00:00"
    assert (
        render("{{ {'at': '2024-05-01' | todatetime} | tojson }}")
        == '{"at":"2024-05-01T00:00:00+00:00"}'
    )
    assert render("{{ ['2024-05-01' | todatetime] }}") == ["2024-05-01T00:00:00+00:00"]


def test_datetimes_compare_and_expose_their_parts() -> None:
    assert (
        render("{{ ('2024-05-01' | todatetime) < ('2024-05-01T00:00:01Z' | todatetime) }}") is True
    )
    assert (
        render("{{ ('2024-05-01T02:00:00+02:00' | todatetime) == ('2024-05-01' | todatetime) }}")
        is True
    )
    assert render("{{ ('2024-05-01T12:30:00Z' | todatetime).hour }}") == 12


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ 'next tuesday' | todatetime }}", "'next tuesday' is not an ISO 8601 date or time"),
        ("{{ '2024-13-01' | todatetime }}", "'2024-13-01' is not an ISO 8601 date or time"),
        (
            "{{ '1/5/24' | todatetime('%d/%m/%Y') }}",
            "'1/5/24' does not match the format '%d/%m/%Y'",
        ),
        (
            "{{ none | todatetime }}",
            "expected a date as text, a number of seconds or a datetime, not null",
        ),
        ("{{ [1] | todatetime }}", "not a list"),
        ("{{ true | todatetime }}", "not a bool"),
        ("{{ (10**20) | todatetime }}", "seconds since 1970 is outside the years 1 to 9999"),
        ("{{ missing | todatetime }}", "'missing' is undefined"),
    ],
)
def test_todatetime_refuses_what_is_not_a_date(source: str, message: str) -> None:
    error = failure(source)
    assert error.startswith("with.when: ")
    assert message in error


def test_format_date() -> None:
    at = "2024-03-05T17:04:09Z"
    assert render("{{ at | format_date }}", at=at) == "2024-03-05T17:04:09+00:00"
    assert render("{{ at | format_date('%Y-%m-%d %H:%M') }}", at=at) == "2024-03-05 17:04"
    assert render("{{ at | strftime('%A %d %B') }}", at=at) == "Tuesday 05 March"
    assert render("{{ at | format_date('%H:%M %Z', tz='Europe/Paris') }}", at=at) == "18:04 CET"
    assert (
        render("{{ at | format_date(tz='America/New_York') }}", at=at)
        == "2024-03-05T12:04:09-05:00"
    )


def test_format_date_errors() -> None:
    assert "unknown time zone 'Mars/Olympus'" in failure(
        "{{ '2024-01-01' | format_date(tz='Mars/Olympus') }}"
    )
    assert "unknown time zone '../etc'" in failure("{{ '2024-01-01' | format_date(tz='../etc') }}")
    assert "the format is a int" in failure("{{ '2024-01-01' | format_date(5) }}")


def test_date_add_and_add_days() -> None:
    at = "2024-02-28T22:00:00Z"
    assert render("{{ at | add_days(1) }}", at=at) == "2024-02-29T22:00:00+00:00"
    assert render("{{ at | add_days(-28.5) }}", at=at) == "2024-01-31T10:00:00+00:00"
    assert render("{{ at | date_add(hours=3, minutes=15) }}", at=at) == "2024-02-29T01:15:00+00:00"
    assert render("{{ at | date_add(weeks=1, seconds=-1) }}", at=at) == "2024-03-06T21:59:59+00:00"
    # The offset of the input is kept.
    assert render("{{ '2024-01-01T00:00:00+05:30' | add_days(1) }}") == "2024-01-02T00:00:00+05:30"


def test_date_add_errors() -> None:
    assert "days must be a number, not a str" in failure("{{ '2024-01-01' | add_days('3') }}")
    assert "hours must be a number, not a bool" in failure(
        "{{ '2024-01-01' | date_add(hours=true) }}"
    )
    assert "outside the years 1 to 9999" in failure("{{ '9999-12-31' | add_days(1) }}")
    assert "unexpected keyword argument 'months'" in failure(
        "{{ '2024-01-01' | date_add(months=1) }}"
    )


def test_timestamp() -> None:
    assert render("{{ '2024-05-01T12:30:00Z' | timestamp }}") == 1714566600
    assert render("{{ '2024-05-01T14:30:00+02:00' | timestamp }}") == 1714566600
    assert render("{{ '2024-05-01T12:30:00.25Z' | timestamp }}") == 1714566600.25
    assert render("{{ 0 | todatetime | timestamp }}") == 0
    assert "is not an ISO 8601 date" in failure("{{ 'soon' | timestamp }}")


def test_now_is_aware_utc_and_prints_as_iso() -> None:
    before = datetime.now(UTC)
    current = now()
    assert isinstance(current, IsoDateTime)
    assert current.tzinfo is UTC
    assert before <= current <= datetime.now(UTC) + timedelta(seconds=1)
    assert str(current) == current.isoformat()
    # Through the filters, as a template using the global would.
    assert render("{{ when | add_days(1) | timestamp }}", when=current) == pytest.approx(
        current.timestamp() + 86400
    )


# --- base64 ---------------------------------------------------------------------------------


def test_base64_round_trips_text() -> None:
    assert render("{{ 'héllo wörld' | b64encode }}") == "aMOpbGxvIHfDtnJsZA=="
    assert render("{{ 'aMOpbGxvIHfDtnJsZA==' | b64decode }}") == "héllo wörld"
    assert render("{{ 'user:pa ss' | b64encode | b64decode }}") == "user:pa ss"


def test_base64_url_safe_and_without_padding() -> None:
    assert render("{{ '??>>' | b64encode }}") == "Pz8+Pg=="
    assert render("{{ '??>>' | b64encode(urlsafe=true) }}") == "Pz8-Pg=="
    assert render("{{ 'Pz8-Pg' | b64decode(urlsafe=true) }}") == "??>>"
    assert render("{{ 'eyJhbGciOiJIUzI1NiJ9' | b64decode | fromjson }}") == {"alg": "HS256"}


def test_base64_errors() -> None:
    assert "b64decode: the value is not valid base64" in failure("{{ 'not base64!' | b64decode }}")
    assert "b64decode: the decoded bytes are not UTF-8 text" in failure("{{ '/w==' | b64decode }}")
    assert "b64encode expects text, not a int" in failure("{{ 5 | b64encode }}")
    assert "'nothing' is undefined" in failure("{{ nothing | b64encode }}")


# --- slugify --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ 'Hello, Wörld!' | slugify }}", "hello-world"),
        ("{{ '  Crème Brûlée: 2 recipes ' | slugify }}", "creme-brulee-2-recipes"),
        ("{{ 'Straße & Æther Øl' | slugify }}", "strasse-aether-ol"),
        ("{{ 'snake_case--and  spaces' | slugify('_') }}", "snake_case_and_spaces"),
        ("{{ '東京 Tokyo' | slugify }}", "tokyo"),
        ("{{ '東京 Tokyo' | slugify(ascii=false) }}", "東京-tokyo"),
        ("{{ 2024 | slugify }}", "2024"),
        ("{{ '!!!' | slugify }}", ""),
    ],
)
def test_slugify(source: str, expected: str) -> None:
    assert render(source) == expected


def test_slugify_refuses_non_text() -> None:
    assert "slugify expects text, not a dict" in failure("{{ {'a': 1} | slugify }}")


# --- unique ---------------------------------------------------------------------------------


def test_unique_keeps_the_first_of_each() -> None:
    assert render("{{ [3, 1, 3, 2, 1] | unique }}") == [3, 1, 2]
    assert render("{{ ['A', 'a', 'b'] | unique }}") == ["A", "b"]
    assert render("{{ ['A', 'a', 'b'] | unique(case_sensitive=true) }}") == ["A", "a", "b"]


def test_unique_works_on_records() -> None:
    rows = [{"id": 1, "tags": ["x"]}, {"tags": ["x"], "id": 1}, {"id": 2, "tags": []}]
    assert render("{{ rows | unique }}", rows=rows) == [rows[0], rows[2]]
    people = [{"email": "A@x.io", "n": 1}, {"email": "a@x.io", "n": 2}, {"email": "b@x.io", "n": 3}]
    assert render(
        "{{ people | unique(attribute='email') | map(attribute='n') | list }}", people=people
    ) == [1, 3]
    nested = [{"a": {"b": 1}}, {"a": {"b": 1}}]
    assert render("{{ rows | unique(attribute='a.b') | length }}", rows=nested) == 1


def test_unique_refuses_what_is_not_a_list() -> None:
    assert "unique expects a list, not a str" in failure("{{ 'abc' | unique }}")
    assert "unique expects a list, not a dict" in failure("{{ {'a': 1} | unique }}")
