"""Secret references, the local encrypted store, and redaction."""

import base64
import json
import shlex
import uuid
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from cryptography.fernet import Fernet

from raikoo_common.secrets import (
    LocalSecretStore,
    Redactor,
    SecretReferences,
    SecretUnavailable,
    redacting,
    references_in,
    substitute,
)
from raikoo_common.secrets.redact import redact_log_event
from raikoo_common.workflow.templates import TemplateError, render_value


def test_templates_render_references_never_values() -> None:
    rendered = render_value(
        {"auth": "Bearer {{ secrets.TOKEN }}", "key": "{{ secrets['KEY'] }}", "n": 1},
        {"secrets": SecretReferences()},
    )
    assert references_in(rendered) == {"TOKEN", "KEY"}
    assert substitute(rendered, {"TOKEN": "t-1", "KEY": "k-2"}) == {
        "auth": "Bearer t-1",
        "key": "k-2",
        "n": 1,
    }
    assert json.loads(json.dumps(rendered)) == rendered, "references survive JSON"
    with pytest.raises(TemplateError, match="not a secret name"):
        render_value("{{ secrets['no-dash'] }}", {"secrets": SecretReferences()})


async def test_the_local_store_encrypts_per_organization(tmp_path: Path) -> None:
    store = LocalSecretStore(tmp_path)
    ours, theirs, project = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await store.put(ours, "TOKEN", "very-secret-value", project_id=None)
    await store.put(ours, "TOKEN", "project-secret-value", project_id=project)
    assert await store.values(ours, ["TOKEN"], project_id=None) == {"TOKEN": "very-secret-value"}
    stored = (tmp_path / f"{ours}.secrets").read_bytes()
    assert b"very-secret-value" not in stored
    assert b"project-secret-value" not in stored
    assert str(project).encode() not in stored, "which projects have secrets is encrypted too"
    with pytest.raises(SecretUnavailable, match="TOKEN"):
        await store.values(theirs, ["TOKEN"], project_id=project)
    assert [e.name for e in await store.entries(ours, project_id=None)] == ["TOKEN"]
    assert await store.delete(ours, "TOKEN", project_id=None)
    assert not await store.delete(ours, "TOKEN", project_id=None)


async def test_a_file_of_the_first_format_is_read_as_organization_wide(tmp_path: Path) -> None:
    """Before project scopes, a file was a plain ``{name: value}`` map: upgrading loses
    nothing, and the first write keeps the old secrets in the new format."""
    key = Fernet.generate_key()
    org, project = uuid.uuid4(), uuid.uuid4()
    old = {"TOKEN": "old-token-value", "version": "a-name-like-a-key"}
    (tmp_path / f"{org}.secrets").write_bytes(Fernet(key).encrypt(json.dumps(old).encode()))
    store = LocalSecretStore(tmp_path, key=key)
    assert await store.values(org, ["TOKEN", "version"], project_id=project) == old
    listed = await store.entries(org, project_id=None)
    assert [(e.name, e.project_id, e.updated_at) for e in listed] == [
        ("TOKEN", None, None),
        ("version", None, None),
    ]
    await store.put(org, "NEW", "new-secret-value", project_id=project)
    rewritten = json.loads(Fernet(key).decrypt((tmp_path / f"{org}.secrets").read_bytes()))
    assert rewritten["$format"] == 2
    assert await store.values(org, ["TOKEN", "version", "NEW"], project_id=project) == {
        **old,
        "NEW": "new-secret-value",
    }


@pytest.mark.parametrize(
    ("content", "complaint"),
    [
        ({"$format": 3, "organization": {}}, "format 3, which this Raikoo does not know"),
        ({"$format": 2, "organization": {"A": "bare"}}, "first at organization.A"),
        (["not", "a", "map"], "not one Raikoo wrote"),
    ],
)
async def test_a_file_in_no_known_format_is_refused_naming_why(
    tmp_path: Path, content: object, complaint: str
) -> None:
    key, org = Fernet.generate_key(), uuid.uuid4()
    (tmp_path / f"{org}.secrets").write_bytes(Fernet(key).encrypt(json.dumps(content).encode()))
    with pytest.raises(SecretUnavailable, match=complaint):
        await LocalSecretStore(tmp_path, key=key).values(org, ["A"], project_id=None)


async def test_a_store_with_another_key_refuses_to_read(tmp_path: Path) -> None:
    org = uuid.uuid4()
    await LocalSecretStore(tmp_path, key=Fernet.generate_key()).put(
        org, "A", "value-a", project_id=None
    )
    with pytest.raises(SecretUnavailable, match="cannot be decrypted"):
        await LocalSecretStore(tmp_path, key=Fernet.generate_key()).values(
            org, ["A"], project_id=None
        )


def test_redaction_masks_values_in_data_and_in_log_events() -> None:
    redactor = Redactor(["hunter2-secret", "ab"])
    assert redactor.scrub({"x": ["pw=hunter2-secret!", 3]}) == {"x": ["pw=***!", 3]}
    ordinary = "ab stays: too short to be a secret"
    assert redactor.scrub(ordinary) == ordinary
    with redacting(redactor):
        event = redact_log_event(None, "info", {"event": "sent", "url": "/?k=hunter2-secret"})
    assert event["url"] == "/?k=***"


SECRET = "Sup3r-Secret-Value-42"
ENCODED = [
    SECRET,
    base64.b64encode(SECRET.encode()).decode(),
    base64.urlsafe_b64encode(SECRET.encode()).decode().rstrip("="),
    quote(SECRET, safe=""),
    quote_plus("token " + SECRET),
    json.dumps({"k": SECRET}),
    shlex.quote(SECRET + " x"),
    SECRET.encode().hex(),
    SECRET.encode().hex().upper(),
]


@pytest.mark.parametrize("text", ENCODED)
def test_a_secret_is_masked_in_its_common_encodings(text: str) -> None:
    scrubbed = Redactor([SECRET]).scrub(f"before {text} after")
    assert "***" in scrubbed
    for form in ENCODED[:2]:
        assert form not in scrubbed


def test_inside_longer_base64_the_secret_is_masked_whatever_its_alignment() -> None:
    for prefix in (b"", b"B", b"Be", b"Bearer "):
        blob = base64.b64encode(prefix + SECRET.encode() + b" and more").decode()
        scrubbed = Redactor([SECRET]).scrub(blob)
        assert "***" in scrubbed, prefix
        decoded_part = base64.b64decode(
            scrubbed.split("***")[0][: len(scrubbed.split("***")[0]) // 4 * 4] or ""
        )
        assert SECRET[:6].encode() not in decoded_part
