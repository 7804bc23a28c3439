"""PII masking before text leaves for a provider: e-mail addresses, phone numbers, card
numbers (Luhn-checked) and IBANs (checksum-checked) become placeholders (``[EMAIL_1]``);
the same value gets the same placeholder, so the model can still tell them apart, and the
originals can be put back where the answer quotes them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
_PHONE = re.compile(r"(?<![\w+])\+?(?:\(\d{1,4}\)|\d)(?:[\s./-]?(?:\(\d{1,4}\)|\d)){6,16}(?!\w)")

Check = Callable[[str], bool]


def luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def iban_valid(text: str) -> bool:
    compact = text.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    number = "".join(str(int(char, 36)) for char in moved)
    return int(number) % 97 == 1


def _card(text: str) -> bool:
    digits = re.sub(r"\D", "", text)
    return 13 <= len(digits) <= 19 and luhn(digits)


def _phone(text: str) -> bool:
    return 7 <= sum(char.isdigit() for char in text) <= 15


_KINDS: dict[str, tuple[re.Pattern[str], Check | None, str]] = {
    # Order matters: an IBAN or a card number is also a run of digits a phone rule could take.
    "email": (_EMAIL, None, "EMAIL"),
    "iban": (_IBAN, iban_valid, "IBAN"),
    "card": (_CARD, _card, "CARD"),
    "phone": (_PHONE, _phone, "PHONE"),
}


class PiiMasker:
    def __init__(self, kinds: Iterable[str]) -> None:
        wanted = set(kinds)
        self._rules = [rule for name, rule in _KINDS.items() if name in wanted]
        self._placeholders: dict[str, str] = {}
        self._originals: dict[str, str] = {}
        self._counts: dict[str, int] = {}

    @property
    def masked(self) -> dict[str, int]:
        """How many different values of each kind were masked."""
        return dict(self._counts)

    def mask(self, text: str) -> str:
        for pattern, check, label in self._rules:
            text = pattern.sub(lambda m, c=check, lb=label: self._replace(m, c, lb), text)  # type: ignore[misc]
        return text

    def restore(self, text: str) -> str:
        for placeholder, original in self._originals.items():
            text = text.replace(placeholder, original)
        return text

    def _replace(self, match: re.Match[str], check: Check | None, label: str) -> str:
        value = match.group(0)
        if check is not None and not check(value):
            return value
        placeholder = self._placeholders.get(value)
        if placeholder is None:
            count = self._counts.get(label, 0) + 1
            self._counts[label] = count
            placeholder = f"[{label}_{count}]"
            self._placeholders[value] = placeholder
            self._originals[placeholder] = value
        return placeholder
