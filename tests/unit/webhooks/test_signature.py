"""Our Standard Webhooks signatures against the reference library, both ways, and what a
verification refuses."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from raikoo_gateway.webhooks.events import checked_event_types, event_type, wanted
from raikoo_gateway.webhooks.signature import (
    SignatureRefused,
    new_secret,
    sign,
    signature_header,
    verify,
)

BODY = b'{"type":"run.succeeded","data":{"run_id":"r-1"}}'
NOW = 1_800_000_000


def _reference_headers(secret: str, body: bytes, message_id: str, at: int) -> dict[str, str]:
    signature = Webhook(secret).sign(message_id, datetime.fromtimestamp(at, UTC), body)
    return {"webhook-id": message_id, "webhook-timestamp": str(at), "webhook-signature": signature}


def test_a_secret_is_whsec_and_24_random_bytes() -> None:
    secret = new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 24
    assert new_secret() != secret


def test_what_the_reference_signs_is_verified() -> None:
    secret = new_secret()
    headers = _reference_headers(secret, BODY, "msg_1", NOW)
    assert verify(headers, BODY, [secret], NOW).message_id == "msg_1"


def test_what_we_sign_the_reference_verifies() -> None:
    secret = new_secret()
    # The reference checks the timestamp against its own clock: sign for now.
    now = int(datetime.now(UTC).timestamp())
    headers = {
        "webhook-id": "msg_2",
        "webhook-timestamp": str(now),
        "webhook-signature": signature_header([secret], "msg_2", now, BODY),
    }
    assert Webhook(secret).verify(BODY, headers) == {
        "type": "run.succeeded",
        "data": {"run_id": "r-1"},
    }
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(BODY, headers)


def test_during_a_rotation_either_secret_verifies() -> None:
    old, new = new_secret(), new_secret()
    header = signature_header([new, old], "msg_3", NOW, BODY)
    assert len(header.split(" ")) == 2
    for secret in (old, new):
        headers = {
            "webhook-id": "msg_3",
            "webhook-timestamp": str(NOW),
            "webhook-signature": header,
        }
        verify(headers, BODY, [secret], NOW)
    # And an inbound hook accepts a sender still signing with the replaced secret.
    verify(_reference_headers(old, BODY, "msg_4", NOW), BODY, [new, old], NOW)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda h, b: (h, b + b" "), "no webhook-signature matches"),
        (lambda h, b: ({**h, "webhook-id": "msg_other"}, b), "no webhook-signature matches"),
        (lambda h, b: ({**h, "webhook-timestamp": str(NOW - 301)}, b), "301 s in the past"),
        (lambda h, b: ({**h, "webhook-timestamp": str(NOW + 301)}, b), "301 s in the future"),
        (lambda h, b: ({**h, "webhook-timestamp": "soon"}, b), "whole seconds"),
        (lambda h, b: ({k: v for k, v in h.items() if k != "webhook-id"}, b), "webhook-id"),
        (
            lambda h, b: ({k: v for k, v in h.items() if k != "webhook-signature"}, b),
            "missing header(s): webhook-signature",
        ),
        (
            lambda h, b: ({k: v for k, v in h.items() if k != "webhook-timestamp"}, b),
            "missing header(s): webhook-timestamp",
        ),
        (lambda h, b: ({**h, "webhook-signature": "v1,AAAA"}, b), "no webhook-signature"),
    ],
)
def test_tampering_staleness_and_missing_headers_are_refused(change, reason) -> None:  # type: ignore[no-untyped-def]
    secret = new_secret()
    headers, body = change(_reference_headers(secret, BODY, "msg_5", NOW), BODY)
    with pytest.raises(SignatureRefused, match=reason.replace("(", r"\(").replace(")", r"\)")):
        verify(headers, body, [secret], NOW)


def test_a_signature_of_another_secret_is_refused() -> None:
    headers = _reference_headers(new_secret(), BODY, "msg_6", NOW)
    with pytest.raises(SignatureRefused):
        verify(headers, BODY, [new_secret()], NOW)


def test_within_the_tolerance_either_way_is_accepted() -> None:
    secret = new_secret()
    for at in (NOW - 300, NOW + 300):
        verify(_reference_headers(secret, BODY, "msg_7", at), BODY, [secret], NOW)
    assert sign(secret, "a", 1, b"") != sign(secret, "a", 2, b"")


def test_event_types_and_filters() -> None:
    assert event_type("run.state_changed", "succeeded") == "run.succeeded"
    assert event_type("operation.state_changed", "failed") == "operation.failed"
    assert event_type("run.something_else", "x") is None
    assert checked_event_types(["run.failed", "run.*", "run.failed"]) == ["run.*", "run.failed"]
    with pytest.raises(ValueError, match=r"event_types\[1\]: 'run.exploded'"):
        checked_event_types(["run.failed", "run.exploded"])
    assert wanted("run.failed", "wf", [], [])
    assert wanted("operation.running", "wf", ["operation.*"], ["wf"])
    assert not wanted("operation.running", "wf", ["run.*"], [])
    assert not wanted("run.failed", "other", ["run.failed"], ["wf"])
