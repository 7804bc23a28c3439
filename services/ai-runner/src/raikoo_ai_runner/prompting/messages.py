"""The messages an ``ai.prompt`` sends: system, few-shot examples, history, the prompt with
its attachments; and the record of them its output keeps (image data elided)."""

from __future__ import annotations

import base64
import re
from typing import Any

from raikoo_ai_runner.config.inputs import Attachment
from raikoo_ai_runner.prompting.plan import Plan
from raikoo_common.runner import OperationContext, OperationError
from raikoo_common.storage import ArtifactNotFound, ArtifactTooLarge

Message = dict[str, Any]
_DATA_URL = re.compile(r"^data:([^;,]+);base64,")


async def build_messages(
    plan: Plan, context: OperationContext, extra_system: str | None
) -> list[Message]:
    config = plan.config
    messages: list[Message] = []
    system = "\n\n".join(part for part in (plan.system, extra_system) if part)
    if system:
        messages.append({"role": "system", "content": system})
    for example in config.examples:
        messages.append({"role": "user", "content": example.user})
        messages.append({"role": "assistant", "content": example.assistant})
    messages.extend({"role": m.role, "content": m.content} for m in config.history)
    text_parts = [config.prompt] if config.prompt else []
    images: list[Message] = []
    for index, attachment in enumerate(config.attachments):
        if attachment.type == "image":
            images.append(await _image_part(attachment, context, index))
        else:
            text_parts.append(await _text_block(attachment, context, index))
    if text_parts or images:
        text = "\n\n".join(text_parts)
        if images:
            parts: list[Message] = [{"type": "text", "text": text}] if text else []
            messages.append({"role": "user", "content": [*parts, *images]})
        else:
            messages.append({"role": "user", "content": text})
    return messages


def sent_text(messages: list[Message]) -> str:
    """The text of every message but the system's: what input guardrails look at."""
    texts: list[str] = []
    for message in messages:
        if message["role"] == "system":
            continue
        content = message.get("content")
        if isinstance(content, str):
            texts.append(content)
        elif isinstance(content, list):
            texts.extend(p["text"] for p in content if p.get("type") == "text")
    return "\n".join(texts)


def map_text(messages: list[Message], change: Any) -> list[Message]:
    """``messages`` with ``change(text)`` applied to every text they hold."""
    result: list[Message] = []
    for message in messages:
        content = message.get("content")
        if isinstance(content, str):
            result.append({**message, "content": change(content)})
        elif isinstance(content, list):
            parts = [
                {**p, "text": change(p["text"])} if p.get("type") == "text" else p for p in content
            ]
            result.append({**message, "content": parts})
        else:
            result.append(message)
    return result


def recorded(messages: list[Message]) -> list[Message]:
    """What the output shows of the messages sent: image data elided."""
    shown: list[Message] = []
    for message in messages:
        content = message.get("content")
        if isinstance(content, list):
            shown.append({**message, "content": [_elided(part) for part in content]})
        else:
            shown.append(message)
    return shown


def _elided(part: Message) -> Message:
    if part.get("type") != "image_url":
        return part
    url = part["image_url"]["url"]
    match = _DATA_URL.match(url)
    if match is None:
        return part
    size = len(url) - match.end()
    elided = f"data:{match.group(1)};base64,… ({size * 3 // 4} bytes elided)"
    return {**part, "image_url": {**part["image_url"], "url": elided}}


async def _read(attachment: Attachment, context: OperationContext, index: int) -> tuple[str, bytes]:
    where = f"attachments[{index}]"
    if context.artifacts is None:
        raise OperationError(
            f"{where}: reading an artifact needs an artifact store, and this runner has none",
            kind="artifact",
            retryable=False,
        )
    try:
        ref, content = await context.artifacts.read(
            attachment.artifact, max_bytes=attachment.max_bytes
        )
    except ValueError:
        raise OperationError(
            f'{where}.artifact is not an artifact reference ({{"$artifact": {{...}}}})',
            kind="invalid_config",
            retryable=False,
        ) from None
    except ArtifactTooLarge:
        message = f"{where}: the artifact is larger than max_bytes ({attachment.max_bytes})"
        raise OperationError(message, kind="artifact", retryable=False) from None
    except ArtifactNotFound as exc:
        message = f"{where}: the artifact does not exist: {exc}"
        raise OperationError(message, kind="artifact", retryable=False) from None
    return ref.content_type, content


async def _text_block(attachment: Attachment, context: OperationContext, index: int) -> str:
    if attachment.text is not None:
        text = attachment.text
    else:
        _, content = await _read(attachment, context, index)
        text = content.decode("utf-8", errors="replace")
    name = attachment.name or f"attachment {index + 1}"
    return f"--- {name} ---\n{text}\n--- end of {name} ---"


async def _image_part(attachment: Attachment, context: OperationContext, index: int) -> Message:
    content_type, content = await _read(attachment, context, index)
    media = content_type.split(";")[0].strip().lower()
    if not media.startswith("image/"):
        message = (
            f"attachments[{index}]: an image attachment is {media or 'of no type'}, not an image"
        )
        raise OperationError(message, kind="invalid_config", retryable=False)
    data = base64.b64encode(content).decode("ascii")
    return {
        "type": "image_url",
        "image_url": {"url": f"data:{media};base64,{data}", "detail": attachment.detail},
    }
