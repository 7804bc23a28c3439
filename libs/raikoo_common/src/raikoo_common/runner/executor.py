"""Executes ready operations from the bus and publishes their results.

An operation's own failure (bad config, error, timeout) becomes an ``OperationFailed``
result; a ``RunnerFault`` propagates so the bus redelivers and finally dead-letters the
message. A cancelled operation publishes nothing — the scheduler has already settled it — unless
it had spent something (AI calls it made): then a ``cancelled`` failure carries the
usage, which the scheduler counts and applies nothing else of. One stopped before it
started never starts (``cancellations``).
"""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import structlog
from pydantic import ValidationError

from raikoo_common.budgets import BudgetLedger
from raikoo_common.bus import Bus, DeadLetterSubscription, Subscription, log_and_drop
from raikoo_common.clock import utcnow
from raikoo_common.event_loop import stop_task
from raikoo_common.json_bytes import JsonBytes, json_body
from raikoo_common.messages import (
    CancelOperations,
    Channel,
    Envelope,
    ErrorInfo,
    MalformedMessage,
    OperationFailed,
    OperationHeartbeat,
    OperationReady,
    OperationsChecked,
    OperationSucceeded,
    OperationUsage,
)
from raikoo_common.nul import NUL_REFUSED, escaped_nul_in, find_nul
from raikoo_common.runner.cancellations import Cancellations
from raikoo_common.runner.kind import Catalog, Kind, OperationContext, OperationError, RunnerFault
from raikoo_common.runner.results import ResultSender
from raikoo_common.runner.streaming import OutputDeltas
from raikoo_common.secrets import (
    Redactor,
    SecretStore,
    SecretUnavailable,
    redacting,
    references_in,
    substitute,
)
from raikoo_common.secrets.sinks import credential_sinks, describe, outside_sinks
from raikoo_common.storage.artifacts import Artifacts, ArtifactScope
from raikoo_common.storage.errors import ArtifactStoreError
from raikoo_common.workflow.problems import format_path

log = structlog.get_logger(__name__)

MAX_INLINE_OUTPUT = 64 * 1024


@dataclass
class Spent:
    """What one execution of an operation has spent so far, as it reports it."""

    execution: uuid.UUID = field(default_factory=uuid.uuid4)
    """This execution (a message redelivered after a runner died runs again as another)."""
    total: OperationUsage | None = None
    report: asyncio.TimerHandle | None = None
    """The report of ``total`` due (cancelled when the result, which carries it, is sent)."""


class OperationExecutor:
    def __init__(
        self,
        bus: Bus,
        catalog: Catalog,
        *,
        artifacts: Artifacts | None = None,
        secrets: SecretStore | None = None,
        heartbeat_after: float = 0.25,
        heartbeat_every: float = 30.0,
        bus_keeps_messages: bool = True,
        budgets: BudgetLedger | None = None,
    ) -> None:
        self.bus = bus
        self.budgets = budgets
        self.catalog = catalog
        self.artifacts = artifacts
        self.secrets = secrets
        self.heartbeat_after = heartbeat_after
        self.heartbeat_every = heartbeat_every
        self._running: dict[uuid.UUID, asyncio.Future[Any]] = {}
        self._reports: set[asyncio.Task[None]] = set()
        self._results = ResultSender(bus, Channel.OPS_FINISHED)
        self.cancellations = Cancellations(bus, bus_keeps_messages=bus_keeps_messages)

    def subscriptions(
        self, channel: str, *, concurrency: int, max_deliveries: int
    ) -> list[Subscription | DeadLetterSubscription]:
        return [
            Subscription(channel, self.handle, concurrency, max_deliveries),
            Subscription(Channel.OPS_CONTROL, self.handle_control, 4, max_deliveries),
            DeadLetterSubscription(Channel.OPS_CONTROL, log_and_drop, 1),
        ]

    async def handle(self, envelope: Envelope) -> None:
        ready = envelope.open()
        if not isinstance(ready, OperationReady):
            raise MalformedMessage(f"{ready.TYPE} is not an operation to run")
        structlog.contextvars.bind_contextvars(
            org_id=str(envelope.org_id), run_id=str(ready.run_id), op_run_id=str(ready.op_run_id)
        )
        try:
            if not await self.cancellations.may_run(envelope, ready):
                log.info("operation stopped before it started", op_key=ready.op_key)
                return
            result = await self._run(ready, envelope.org_id)
        finally:
            structlog.contextvars.clear_contextvars()
        if result is not None:
            await self._results.send(envelope, ready.run_id, result)

    async def handle_control(self, envelope: Envelope) -> None:
        command = envelope.open()
        if isinstance(command, CancelOperations):
            self.cancellations.stopped(command.op_run_ids)
            for op_run_id in command.op_run_ids:
                task = self._running.get(op_run_id)
                if task is not None:
                    task.cancel("operation cancelled")
        elif isinstance(command, OperationsChecked):
            self.cancellations.answered(command)

    async def _run(
        self, ready: OperationReady, org_id: uuid.UUID
    ) -> OperationSucceeded | OperationFailed | None:
        started = utcnow()
        kind = self.catalog.get(ready.kind)
        if kind is None or kind.execute is None:
            known = ", ".join(sorted(self.catalog))
            return _failed(
                ready,
                started,
                "unknown_kind",
                f"this runner has no operation kind {ready.kind!r} (it has: {known})",
                retryable=False,
            )
        scope = None
        raw_config: Any = ready.config
        if self.artifacts is not None:
            scope = self.artifacts.scope(org_id, ready.run_id, ready.op_key, ready.attempt)
            try:
                raw_config = await self.artifacts.resolve(ready.config, org_id)
            except ArtifactStoreError as exc:
                return _failed(ready, started, "artifact", str(exc), retryable=False)
        names = references_in(raw_config)
        redactor = Redactor(())
        misplaced = outside_sinks(raw_config, credential_sinks(kind.config)) if names else []
        if misplaced:
            # Refused when the definition was stored; this is the runner's own check.
            where = ", ".join(format_path(("with", *path)) for path in misplaced)
            message = (
                f"a secret may be used only in the credential fields of {ready.kind} "
                f"({describe(credential_sinks(kind.config))}), not at {where}"
            )
            return _failed(ready, started, "invalid_config", message, retryable=False)
        if names:
            try:
                values = await self._secret_values(org_id, ready.project_id, names)
            except SecretUnavailable as exc:
                return _failed(ready, started, "secret_unavailable", str(exc), retryable=False)
            raw_config = substitute(raw_config, values)
            redactor = Redactor(values.values())
        spent = Spent()
        with redacting(redactor):
            result = await self._execute(
                ready, kind, raw_config, started, org_id, scope, redactor, spent
            )
        if spent.report is not None:
            spent.report.cancel()  # the result, or the runner's exit, reports it
        if result is not None and spent.total is not None:
            update = {"usage": spent.total, "execution": spent.execution}
            result = result.model_copy(update=update)
        if isinstance(result, OperationFailed) and redactor.values:
            error = result.error.model_copy(
                update={"message": redactor.scrub(result.error.message)}
            )
            return result.model_copy(update={"error": error})
        return result

    async def _secret_values(
        self, org_id: uuid.UUID, project_id: uuid.UUID, names: set[str]
    ) -> dict[str, str]:
        """As the run's project sees them: its own secrets over the organization's."""
        if self.secrets is None:
            raise SecretUnavailable(
                "this runner has no secret store: secrets resolve in embedded mode today; "
                "distributed runners get them with the secrets-proxy read path"
            )
        return await self.secrets.values(org_id, names, project_id=project_id)

    async def _execute(
        self,
        ready: OperationReady,
        kind: Kind[Any],
        raw_config: Any,
        started: datetime,
        org_id: uuid.UUID,
        scope: ArtifactScope | None,
        redactor: Redactor,
        spent: Spent,
    ) -> OperationSucceeded | OperationFailed | None:
        """Run the operation; secrets are in ``raw_config`` and scrubbed from its output.
        ``spent`` receives the usage the operation reports."""
        try:
            config = kind.config.model_validate(raw_config)
        except ValidationError as exc:
            return _failed(
                ready, started, "invalid_config", _config_errors(ready, exc), retryable=False
            )
        deltas = OutputDeltas(self.bus, org_id, ready, redactor)
        context = OperationContext(
            org_id=org_id,
            project_id=ready.project_id,
            run_id=ready.run_id,
            op_run_id=ready.op_run_id,
            op_key=ready.op_key,
            attempt=ready.attempt,
            log=log.bind(op_key=ready.op_key, kind=ready.kind),
            artifacts=scope,
            dry_run=ready.dry_run,
            stream=deltas.write,
            record_usage=lambda usage: self._spent(ready, started, org_id, spent, usage),
            budgets=self.budgets,
        )
        execute = kind.execute
        assert execute is not None, "checked by _run"
        task: asyncio.Future[Any] = asyncio.ensure_future(execute(config, context))
        self._running[ready.op_run_id] = task
        # Most operations finish long before a heartbeat is due: arm a timer, not a task.
        beats: list[asyncio.Task[None]] = []
        timer = asyncio.get_running_loop().call_later(
            self.heartbeat_after,
            lambda: beats.append(asyncio.create_task(self._heartbeats(ready, started, org_id))),
        )
        window = asyncio.timeout(ready.timeout_seconds)
        try:
            async with window:
                output = await asyncio.shield(task)
        except TimeoutError as exc:
            if not window.expired():  # the operation's own TimeoutError, not our window
                return _failed(ready, started, "error", f"TimeoutError: {exc}")
            task.cancel()
            return _failed(
                ready,
                started,
                "timeout",
                f"did not finish within its timeout of {ready.timeout_seconds:g}s",
            )
        except asyncio.CancelledError:
            if task.cancelled() and not _current_task_cancelling():
                context.log.info("operation cancelled")
                # Its calls were made: the scheduler counts them and applies nothing else.
                if spent.total is not None:
                    message = "the operation was cancelled while it ran"
                    return _failed(ready, started, "cancelled", message, retryable=False)
                return None
            task.cancel()
            raise
        except OperationError as exc:
            return _failed(ready, started, exc.kind, str(exc), retryable=exc.retryable)
        except (MalformedMessage, ValidationError) as exc:
            return _failed(ready, started, "error", str(exc), retryable=False)
        except Exception as exc:
            if isinstance(exc, RunnerFault):
                raise
            context.log.warning("operation raised", exc_info=True)
            return _failed(ready, started, "error", f"{type(exc).__name__}: {exc}")
        finally:
            self._running.pop(ready.op_run_id, None)
            timer.cancel()
            for beat in beats:
                await stop_task(beat)
            await deltas.close()
        if hasattr(output, "model_dump"):
            output = output.model_dump(mode="json")
        if isinstance(output, JsonBytes):
            # Already written (by a worker process): passed on as bytes, never built here.
            # Masking needs the value, so only an operation that resolved no secret skips
            # it — always the case for the kinds that return bytes (convert takes none).
            if not redactor.values:
                return await self._succeeded(ready, started, output, org_id)
            output = output.value()
        return await self._succeeded(ready, started, redactor.scrub(output), org_id)

    async def _succeeded(
        self,
        ready: OperationReady,
        started: datetime,
        output: Any | JsonBytes,
        org_id: uuid.UUID,
    ) -> OperationSucceeded | OperationFailed:
        """The result message (``output`` is plain data, or JSON already written); over the
        threshold it travels as an artifact, its JSON written once."""
        try:
            dumped = json_body(output)
        except TypeError as exc:
            return _failed(
                ready, started, "invalid_output", f"output is not JSON: {exc}", retryable=False
            )
        size = len(dumped)
        if escaped_nul_in(dumped) and (at := find_nul(_value(output))) is not None:
            return _failed(
                ready,
                started,
                "invalid_output",
                f"{format_path(('output', *at))} {NUL_REFUSED}; return binary content as "
                "base64 or as an artifact",
                retryable=False,
            )
        if self.artifacts is not None and size > self.artifacts.threshold:
            try:
                output = await self.artifacts.offload(
                    JsonBytes(dumped),
                    org_id,
                    ready.run_id,
                    f"{ready.op_key}.{ready.attempt}",
                    "output.json",
                )
            except ArtifactStoreError as exc:
                raise RunnerFault(f"the artifact store refused the output: {exc}") from exc
        elif size > MAX_INLINE_OUTPUT:
            return _failed(
                ready,
                started,
                "output_too_large",
                f"output is {size} bytes and this runner has no artifact store; the inline "
                f"limit is {MAX_INLINE_OUTPUT} bytes",
                retryable=False,
            )
        return OperationSucceeded(
            op_run_id=ready.op_run_id,
            attempt=ready.attempt,
            output=_value(output),
            started_at=started,
            finished_at=utcnow(),
        )

    def _spent(
        self,
        ready: OperationReady,
        started: datetime,
        org_id: uuid.UUID,
        spent: Spent,
        usage: OperationUsage,
    ) -> None:
        """Keep what the operation has spent so far, and report it soon (as a heartbeat):
        should this runner die before the result, its calls are counted all the same. An
        operation that finishes first sends none: its result carries the total."""
        spent.total = usage
        if spent.report is None:
            spent.report = asyncio.get_running_loop().call_later(
                self.heartbeat_after, self._report, ready, started, org_id, spent
            )

    def _report(
        self, ready: OperationReady, started: datetime, org_id: uuid.UUID, spent: Spent
    ) -> None:
        spent.report = None  # the next call's usage is reported after it, in turn
        beat = OperationHeartbeat(
            op_run_id=ready.op_run_id,
            attempt=ready.attempt,
            started_at=started,
            usage=spent.total,
            execution=spent.execution,
        )
        task = asyncio.create_task(
            self._publish_report(Envelope.wrap(beat, org_id=org_id, run_id=ready.run_id))
        )
        self._reports.add(task)
        task.add_done_callback(self._reports.discard)

    async def _publish_report(self, envelope: Envelope) -> None:
        try:
            await self.bus.publish(Channel.OPS_PROGRESS, envelope)
        except Exception:  # the result carries the same total, and more
            log.warning("usage report not sent", exc_info=True)

    async def _heartbeats(
        self, ready: OperationReady, started: datetime, org_id: uuid.UUID
    ) -> None:
        while True:
            beat = OperationHeartbeat(
                op_run_id=ready.op_run_id, attempt=ready.attempt, started_at=started
            )
            try:
                await self.bus.publish(
                    Channel.OPS_PROGRESS,
                    Envelope.wrap(beat, org_id=org_id, run_id=ready.run_id),
                )
            except Exception:
                log.warning("heartbeat not sent", exc_info=True)
            await asyncio.sleep(self.heartbeat_every)


def _value(output: Any | JsonBytes) -> Any:
    """Plain data: JSON already written is read back (only when it is small, or broken)."""
    return output.value() if isinstance(output, JsonBytes) else output


def _current_task_cancelling() -> bool:
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


def _failed(
    ready: OperationReady, started: datetime, kind: str, message: str, *, retryable: bool = True
) -> OperationFailed:
    return OperationFailed(
        op_run_id=ready.op_run_id,
        attempt=ready.attempt,
        started_at=started,
        finished_at=utcnow(),
        error=ErrorInfo(
            # An error message quoting what failed (a response body…) may hold NUL, which
            # cannot be stored: shown as U+FFFD, the replacement character, instead.
            kind=kind,
            message=message.replace("\x00", "\ufffd"),
            where=ready.op_key,
            retryable=retryable,
        ),
    )


def _config_errors(ready: OperationReady, exc: ValidationError) -> str:
    problems = "; ".join(
        f"operations.{ready.op_key}.with.{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
        for e in exc.errors()
    )
    return f"invalid config for {ready.kind}: {problems}"
