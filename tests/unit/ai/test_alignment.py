"""Alignment: PII masking and restoring, guardrails on input and output, moderation, judge."""

from __future__ import annotations

import pytest

from raikoo_ai_runner.alignment.pii import PiiMasker, iban_valid, luhn
from raikoo_ai_runner.kinds.prompt import KIND
from raikoo_common.runner import OperationError
from tests.unit.ai._fake_openai import Answer, fake_openai
from tests.unit.ai.conftest import provider, run_ai

TEXT = (
    "Mail ana@example.com or call +44 20 7946 0958; card 4111 1111 1111 1111, "
    "IBAN GB82 WEST 1234 5698 7654 32. Not a card: 4111 1111 1111 1112."
)


def test_pii_is_masked_by_kind_with_checksums() -> None:
    masker = PiiMasker(["email", "phone", "card", "iban"])
    masked = masker.mask(TEXT)
    assert masked == (
        "Mail [EMAIL_1] or call [PHONE_1]; card [CARD_1], "
        "IBAN [IBAN_1]. Not a card: 4111 1111 1111 1112."
    )
    assert masker.restore(masked) == TEXT
    assert masker.mask("again ana@example.com") == "again [EMAIL_1]", "same value, same placeholder"


def test_checksums() -> None:
    assert luhn("4111111111111111")
    assert not luhn("4111111111111112")
    assert iban_valid("GB82WEST12345698765432")
    assert not iban_valid("GB83WEST12345698765432")


async def test_pii_never_reaches_the_provider_and_can_be_restored() -> None:
    with fake_openai(Answer("I will write to [EMAIL_1].")) as fake:
        out = await run_ai(
            KIND,
            {
                "provider": provider(fake),
                "model": "m",
                "prompt": TEXT,
                "alignment": {"pii": {"restore": True}},
            },
        )
    sent = str(fake.chats()[0]["messages"])
    assert "ana@example.com" not in sent
    assert "4111 1111 1111 1111" not in sent
    assert out["text"] == "I will write to ana@example.com."
    assert out["alignment"][0]["rule"] == "pii"
    assert out["alignment"][0]["outcome"] == "masked"


async def test_an_input_guardrail_fails_before_any_call() -> None:
    rules = {
        "input": {"deny": [{"name": "no-passwords", "regex": "password", "ignore_case": True}]}
    }
    with fake_openai(Answer("never")) as fake, pytest.raises(OperationError) as caught:
        await run_ai(
            KIND,
            {
                "provider": provider(fake),
                "model": "m",
                "prompt": "my Password is x",
                "alignment": rules,
            },
        )
    assert caught.value.kind == "guardrail"
    assert "input.deny:no-passwords" in str(caught.value)
    assert fake.requests == []


async def test_an_output_guardrail_repairs_when_the_policy_says_so() -> None:
    rules = {
        "output": {"deny": [{"name": "internal-url", "regex": r"intranet\."}], "max_chars": 200},
        "on_violation": "repair",
    }
    with fake_openai(Answer("see intranet.corp/x"), Answer("see the public docs")) as fake:
        out = await run_ai(
            KIND, {"provider": provider(fake), "model": "m", "prompt": "x", "alignment": rules}
        )
    assert out["text"] == "see the public docs"
    assert "output.deny:internal-url" in fake.chats()[1]["messages"][-1]["content"]
    assert [(d["rule"], d["outcome"]) for d in out["alignment"]] == [
        ("output.deny:internal-url", "violated"),
        ("output.deny:internal-url", "repaired"),
        ("output.guardrails", "passed"),
    ]


async def test_an_output_guardrail_fails_by_default_naming_the_rule() -> None:
    rules = {"output": {"require": [{"name": "cites-source", "regex": r"\[\d+\]"}]}}
    with fake_openai(Answer("no sources")) as fake, pytest.raises(OperationError) as caught:
        await run_ai(
            KIND, {"provider": provider(fake), "model": "m", "prompt": "x", "alignment": rules}
        )
    assert caught.value.kind == "guardrail"
    assert "output.require:cites-source" in str(caught.value)


async def test_moderation_flags_the_answer() -> None:
    rules = {"moderation": {"output": True}}
    with fake_openai(Answer("FLAGME nasty")) as fake, pytest.raises(OperationError) as caught:
        await run_ai(
            KIND, {"provider": provider(fake), "model": "m", "prompt": "x", "alignment": rules}
        )
    assert caught.value.kind == "moderation"
    assert "harassment" in str(caught.value)
    assert fake.requests[-1].path == "/v1/moderations"


async def test_the_judge_must_approve() -> None:
    rules = {"judge": {"rubric": "The answer is polite."}, "on_violation": "repair"}
    with fake_openai(
        Answer("Go away."),
        Answer('{"approved": false, "reason": "rude"}'),
        Answer("Happy to help!"),
        Answer('{"approved": true, "reason": "polite"}'),
    ) as fake:
        out = await run_ai(
            KIND,
            {
                "provider": provider(fake),
                "model": "m",
                "prompt": "x",
                "alignment": rules,
                "max_repairs": 1,
            },
        )
    assert out["text"] == "Happy to help!"
    judged = fake.chats()[1]["messages"][1]["content"]
    assert "The answer is polite." in judged
    assert "Go away." in judged
    assert [(d["rule"], d["outcome"]) for d in out["alignment"]][-1] == ("judge", "approved")
    assert out["usage"]["calls"] == 4
