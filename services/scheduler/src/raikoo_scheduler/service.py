"""The scheduler service: turns commands into engine calls inside one unit of work per run,
then publishes what the commit produced. Also runs the timers (retries, leases, deadlines).

No run is ever stuck: a command that cannot be applied for a reason a retry will not cure
(a bug, a value the database refuses) ends its run as failed with that reason, in a unit
of its own, and the message is settled; what cannot even do that is dead-lettered at once
with the reason. Only transient failures (a dropped connection) go back to the bus.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

import structlog

from raikoo_common.bus import Bus
from raikoo_common.bus.background import BackgroundPublisher
from raikoo_common.clock import utcnow
from raikoo_common.db.faults import is_transient
from raikoo_common.event_loop import stop_task
from raikoo_common.messages import (
    Channel,
    CheckOperations,
    ChildRunFinished,
    Envelope,
    ErrorInfo,
    MalformedMessage,
    OperationFailed,
    OperationHeartbeat,
    OperationsChecked,
    OperationSucceeded,
    RunCancelRequested,
    RunEventsBatch,
    RunEventsRecorded,
    WaitResolved,
)
from raikoo_scheduler import engine
from raikoo_scheduler.commands import (
    Command,
    DeadlinePassed,
    FromOrg,
    LeaseExpired,
    RedispatchActive,
    RetryDue,
    StartRun,
)
from raikoo_scheduler.leases import Leases
from raikoo_scheduler.mailbox import RunMailbox
from raikoo_scheduler.ports import Committed, Outbox, RunStore, RunUnit, StaleRun

log = structlog.get_logger(__name__)


class Scheduler:
    def __init__(
        self,
        store: RunStore,
        relay: Outbox,
        bus: Bus,
        leases: Leases,
        *,
        tick_seconds: float | None = 0.2,
        redispatch_on_start: bool = False,
        events_linger: float = 0.0,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        """``tick_seconds``: how often timers are looked for (None: only when ``tick`` is
        called, as a test with ``clock`` in its hands does)."""
        self.store = store
        self.relay = relay
        self.bus = bus
        self.leases = leases
        self.tick_seconds = tick_seconds
        self.clock = clock
        self.redispatch_on_start = redispatch_on_start
        self.mailbox: RunMailbox[Command] = RunMailbox(self._process)
        # Run events are stored with the change; broadcasting them is for live listeners,
        # who fill any gap from the store: a run's next step never waits for it.
        self.events: BackgroundPublisher[Envelope] = BackgroundPublisher(
            self._broadcast,
            name="run-events-broadcast",
            on_failure="run events not broadcast",
            linger=events_linger,
        )
        self._timer: asyncio.Task[None] | None = None
        self._in_flight: set[tuple[str, Any]] = set()

    async def submit(
        self, run_id: uuid.UUID, command: Command, *, org_id: uuid.UUID | None = None
    ) -> None:
        """Apply ``command`` to the run; with ``org_id`` (whose envelope carried it), only if
        the run belongs to that organisation (else MalformedMessage)."""
        await self.mailbox.submit(run_id, command if org_id is None else FromOrg(org_id, command))

    async def check_operations(self, org_id: uuid.UUID, check: CheckOperations) -> None:
        """Tell runners which of the queued dispatches they hold must not run (see
        ``raikoo_common.runner.cancellations``)."""
        stale = await self.store.stale_attempts(org_id, check.items)
        answer = OperationsChecked(query_id=check.query_id, stale=sorted(stale))
        await self.bus.publish(Channel.OPS_CONTROL, Envelope.wrap(answer, org_id=org_id))

    async def start(self) -> None:
        self.events.start()
        await self.relay.start()
        if self.redispatch_on_start:
            # The in-memory bus kept nothing across the restart: send active work again.
            runs = await self.store.active_runs()
            await asyncio.gather(*(self.submit(run_id, RedispatchActive()) for run_id in runs))
        if self.tick_seconds is not None:
            self._timer = asyncio.create_task(self._timers(self.tick_seconds), name="timers")

    async def stop(self) -> None:
        await stop_task(self._timer)
        await self.mailbox.wait_idle()
        await self.relay.stop()
        await self.events.stop()
        await self.store.close()

    async def _process(self, run_id: uuid.UUID, commands: list[Command]) -> None:
        try:
            await self._process_now(run_id, commands)
        except (MalformedMessage, asyncio.CancelledError):
            raise
        except Exception as exc:
            if is_transient(exc) or len(commands) > 1:
                # The bus redelivers; a batch is retried command by command by the mailbox
                # first, so only the command at fault is contained.
                raise
            await self._contain(run_id, commands[0], exc)

    async def _process_now(self, run_id: uuid.UUID, commands: list[Command]) -> None:
        now = self.clock()
        starts = [c for c in commands if isinstance(c, StartRun)]
        if starts:
            await self._start_run(starts[0], now)
            commands = [c for c in commands if not isinstance(c, StartRun)]
            if not commands:
                return
        try:
            committed = await self._unit(run_id, commands, now, optimistic=True)
        except StaleRun:
            # Another scheduler replica changed the run: apply again on the row, locked.
            log.info("run changed elsewhere; applying again", run_id=str(run_id))
            committed = await self._unit(run_id, commands, now, optimistic=False)
        if committed is not None:
            await self._publish(committed)

    async def _unit(
        self, run_id: uuid.UUID, commands: list[Command], now: Any, *, optimistic: bool
    ) -> Committed | None:
        async with self.store.unit(run_id, now, optimistic=optimistic) as unit:
            if unit is not None:
                for command in commands:
                    await self._apply(unit, command)
                return await unit.flush()
        for command in commands:
            org_id, inner = (
                (command.org_id, command.command)
                if isinstance(command, FromOrg)
                else (None, command)
            )
            if isinstance(inner, RunCancelRequested) and org_id is not None:
                # The cancel overtook its run's request: keep it for the run's creation.
                if not await self.store.cancel_unstarted(run_id, org_id, inner.reason, now):
                    return await self._unit(run_id, [command], now, optimistic=False)
                log.info("cancel kept for a run not created yet", run_id=str(run_id))
                continue
            log.warning(
                "command for an unknown run ignored",
                run_id=str(run_id),
                command=type(inner).__name__,
            )
        return None

    async def _start_run(
        self, command: StartRun, now: Any, *, failure: ErrorInfo | None = None
    ) -> None:
        request = command.request
        original = (
            await self.store.reusable_ops(request.retry_of, command.org_id)
            if request.retry_of is not None and failure is None
            else []
        )
        reused: list[Any] = []

        def build(plan: Any) -> Any:
            run = engine.new_run(request, command.org_id, plan, now)
            ops = engine.new_ops(run, plan, now, original)
            reused[:] = [op for op in ops if op.reused_from is not None]
            return run, ops

        try:
            async with self.store.new_unit(
                request.run_id, command.org_id, request.workflow_version_id, now, build
            ) as created:
                if created is None:
                    return
                if failure is not None:
                    await engine.fail(created.unit, failure)
                else:
                    await engine.start(
                        created.unit, self.leases, cancelled=created.cancelled, reused=reused
                    )
                committed = await created.unit.flush()
        except LookupError as exc:
            raise MalformedMessage(str(exc)) from exc
        await self._publish(committed)

    async def _contain(self, run_id: uuid.UUID, command: Command, exc: Exception) -> None:
        """``command`` failed for a reason a retry will not cure: end its run as failed,
        naming the reason, so nothing waits for it forever. If even that fails, the
        message is dead-lettered at once with the reason (``MalformedMessage``)."""
        inner = command.command if isinstance(command, FromOrg) else command
        what = type(inner).__name__
        log.error("command failed; failing its run", run_id=str(run_id), command=what, exc_info=exc)
        error = ErrorInfo(
            kind="internal",
            message=f"the scheduler could not apply {what}: {_summary(exc)}",
            retryable=False,
        )
        try:
            if isinstance(inner, StartRun):
                await self._start_run(inner, self.clock(), failure=error)
                return
            async with self.store.unit(run_id, self.clock(), optimistic=False) as unit:
                if unit is None:
                    raise MalformedMessage(f"{what} for unknown run {run_id}: {_summary(exc)}")
                await engine.fail(unit, error)
                committed = await unit.flush()
            await self._publish(committed)
        except MalformedMessage:
            raise
        except Exception as second:
            if is_transient(second):
                raise
            raise MalformedMessage(
                f"{what} for run {run_id} cannot be applied ({_summary(exc)}), and the run "
                f"could not be failed either ({_summary(second)})"
            ) from second

    async def _apply(self, unit: RunUnit, command: Command) -> None:
        leases = self.leases
        match command:
            case FromOrg(org_id=org_id, command=inner):
                if org_id != unit.run.org_id:
                    raise MalformedMessage(
                        f"{type(inner).__name__} for run {unit.run.id} came from organisation "
                        f"{org_id}, which the run does not belong to"
                    )
                await self._apply(unit, inner)
            case OperationSucceeded() | OperationFailed():
                await engine.apply_result(unit, command, leases)
            case OperationHeartbeat():
                await engine.heartbeat(unit, command, leases)
            case RunCancelRequested():
                await engine.cancel(unit, command.reason)
            case WaitResolved():
                await engine.wait_resolved(unit, command, leases)
            case ChildRunFinished():
                await engine.child_finished(unit, command, leases)
            case RetryDue():
                await engine.retry_due(unit, command.op_run_id, leases)
            case LeaseExpired():
                await engine.lease_expired(unit, command.op_run_id, command.attempt, leases)
            case DeadlinePassed():
                await engine.deadline_passed(unit)
            case RedispatchActive():
                await engine.redispatch_active(unit, leases)
            case StartRun():
                raise AssertionError("StartRun is applied in its own unit")

    async def _publish(self, committed: Committed) -> None:
        self.relay.publish_soon(committed.outbox)
        if committed.events is not None:
            self.events.add([committed.events])

    async def _broadcast(self, batch: list[Envelope]) -> None:
        await self.bus.publish_many([(Channel.RUNS_EVENTS, e) for e in pack_run_events(batch)])

    async def _timers(self, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await self.tick()
            except Exception:
                log.exception("timer pass failed; will retry")

    async def tick(self) -> list[asyncio.Task[None]]:
        """One timer pass: submit what fell due (retries, waits, leases, deadlines)."""
        fired = []
        for what, run_id, detail in await self.store.due(self.clock()):
            key = (what, detail if detail is not None else run_id)
            if key in self._in_flight:
                continue
            self._in_flight.add(key)
            task = asyncio.create_task(self._fire(what, run_id, detail))
            task.add_done_callback(self._forget(key))
            fired.append(task)
        return fired

    def _forget(self, key: tuple[str, Any]) -> Any:
        def done(_: asyncio.Task[None]) -> None:
            self._in_flight.discard(key)

        return done

    async def _fire(self, what: str, run_id: uuid.UUID, detail: Any) -> None:
        command: Command
        if what == "retry":
            command = RetryDue(detail)
        elif what == "lease":
            command = LeaseExpired(*detail)
        else:
            command = DeadlinePassed()
        try:
            await self.submit(run_id, command)
        except Exception:
            log.exception("timer command failed", what=what, run_id=str(run_id))


def _summary(exc: BaseException, limit: int = 500) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= limit else text[: limit - 1] + "…"


MAX_EVENTS_PER_MESSAGE = 200
"""Keeps a broadcast small (DESIGN.md §3): a few hundred bytes an event."""


def pack_run_events(
    batch: list[Envelope], max_events: int = MAX_EVENTS_PER_MESSAGE
) -> list[Envelope]:
    """What piled up between broadcasts, in as few messages as keep tenants apart and
    messages small: each run's commits merged (its events in order), and the runs of one
    organisation packed into one ``RunEventsBatch`` when there are several."""
    by_org: dict[uuid.UUID, list[Envelope]] = {}
    for envelope in merge_by_run(batch, max_events):
        by_org.setdefault(envelope.org_id, []).append(envelope)
    packed = []
    for org_id, envelopes in by_org.items():
        for chunk in _chunks(envelopes, max_events):
            if len(chunk) == 1:
                packed.append(chunk[0])
                continue
            runs = [RunEventsRecorded.model_validate(e.payload) for e in chunk]
            packed.append(Envelope.wrap(RunEventsBatch.model_construct(runs=runs), org_id=org_id))
    return packed


def merge_by_run(batch: list[Envelope], max_events: int = MAX_EVENTS_PER_MESSAGE) -> list[Envelope]:
    """One ``RunEventsRecorded`` per run for commits that piled up while the previous
    broadcast was in flight (a busy fan-out commits many times per broadcast), up to
    ``max_events`` a message (a single commit with more is split too); each run's events
    keep their order."""
    merged: list[Envelope] = []
    current: dict[uuid.UUID | None, int] = {}
    for envelope in _split(batch, max_events):
        at = current.get(envelope.run_id)
        events = envelope.payload["events"]
        if at is None or len(merged[at].payload["events"]) + len(events) > max_events:
            current[envelope.run_id] = len(merged)
            merged.append(envelope)
            continue
        first = merged[at]
        merged[at] = first.model_copy(
            update={"payload": {**first.payload, "events": [*first.payload["events"], *events]}}
        )
    return merged


def _split(batch: list[Envelope], max_events: int) -> list[Envelope]:
    """``batch`` with every commit of more than ``max_events`` events cut into several."""
    if all(len(envelope.payload["events"]) <= max_events for envelope in batch):
        return batch
    pieces: list[Envelope] = []
    for envelope in batch:
        events = envelope.payload["events"]
        if len(events) <= max_events:
            pieces.append(envelope)
            continue
        pieces.extend(
            envelope.model_copy(
                update={"payload": {**envelope.payload, "events": events[at : at + max_events]}}
            )
            for at in range(0, len(events), max_events)
        )
    return pieces


def _chunks(envelopes: list[Envelope], max_events: int) -> list[list[Envelope]]:
    chunks: list[list[Envelope]] = []
    size = max_events  # forces a first chunk
    for envelope in envelopes:
        count = len(envelope.payload["events"])
        if size + count > max_events:
            chunks.append([])
            size = 0
        chunks[-1].append(envelope)
        size += count
    return chunks
