"""Bus entry points: decode, route to the run's mailbox. No decisions here."""

from __future__ import annotations

import asyncio
import uuid

from raikoo_common.bus import DeadLetter, DeadLetterSubscription, Subscription, log_and_drop
from raikoo_common.clock import utcnow
from raikoo_common.logging import get_logger
from raikoo_common.messages import (
    Channel,
    CheckOperations,
    ChildRunFinished,
    Envelope,
    ErrorInfo,
    MalformedMessage,
    OperationFailed,
    OperationHeartbeat,
    OperationReady,
    OperationResults,
    OperationSucceeded,
    RunCancelRequested,
    RunRequested,
    WaitResolved,
    open_results,
)
from raikoo_scheduler.commands import Command, StartRun
from raikoo_scheduler.service import Scheduler

log = get_logger(__name__)


def subscriptions(
    scheduler: Scheduler, *, concurrency: int, max_deliveries: int
) -> list[Subscription | DeadLetterSubscription]:
    async def on_run_request(envelope: Envelope) -> None:
        org_id = envelope.org_id
        match envelope.open():
            case RunRequested() as request:
                await scheduler.submit(request.run_id, StartRun(request, org_id))
            case RunCancelRequested() as cancel:
                await scheduler.submit(cancel.run_id, cancel, org_id=org_id)
            case WaitResolved() as decision:
                await scheduler.submit(decision.run_id, decision, org_id=org_id)
            case ChildRunFinished() as ended:
                await scheduler.submit(ended.parent_run_id, ended, org_id=org_id)
            case CheckOperations() as check:
                await scheduler.check_operations(org_id, check)
            case other:
                raise MalformedMessage(f"{other.TYPE} does not belong on {Channel.RUNS_REQUESTED}")

    async def on_operation_message(envelope: Envelope) -> None:
        problems: list[str] = []
        if envelope.message_type() is OperationResults:
            items, problems = open_results(envelope)
            results: list[tuple[uuid.UUID, Command]] = [
                (item.run_id, item.result) for item in items
            ]
        else:
            message = envelope.open()
            if not isinstance(message, OperationSucceeded | OperationFailed | OperationHeartbeat):
                raise MalformedMessage(f"{message.TYPE} is not an operation result or heartbeat")
            if envelope.run_id is None:
                raise MalformedMessage(f"{message.TYPE} for {message.op_run_id} carries no run_id")
            results = [(envelope.run_id, message)]
        # Submitted together, the results of one run are applied in one unit of work and
        # different runs in parallel; a result that fails is retried alone by its run's
        # mailbox, and the message is redelivered (the others then being duplicates) only
        # after every result had its turn. Malformed results of a batch do not hold back
        # the valid ones: those are applied, then the message is dead-lettered naming the
        # others (a retry from there finds the valid ones applied already).
        outcomes = await asyncio.gather(
            *(
                scheduler.submit(run_id, result, org_id=envelope.org_id)
                for run_id, result in results
            ),
            return_exceptions=True,
        )
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
        if problems:
            raise MalformedMessage(
                f"{envelope.type}: {len(problems)} of {len(problems) + len(results)} results "
                f"are invalid (the others were applied): {'; '.join(problems[:10])}"
            )

    async def on_dead_dispatch(dead: DeadLetter) -> None:
        # MalformedMessage here parks the letter where people can look at it.
        if dead.envelope is None:
            raise MalformedMessage(f"unreadable dead letter ({dead.reason})")
        ready = dead.envelope.open()
        if not isinstance(ready, OperationReady):
            raise MalformedMessage(f"{ready.TYPE} is not a dispatch ({dead.reason})")
        error = ErrorInfo(
            kind="dead_lettered",
            message=(
                f"the runner could not process this operation: its message was dead-lettered "
                f"after {dead.deliveries} deliveries on {dead.channel}: {dead.reason}"
            ),
            where=ready.op_key,
            retryable=False,
        )
        failed = OperationFailed(
            op_run_id=ready.op_run_id, attempt=ready.attempt, error=error, finished_at=utcnow()
        )
        await scheduler.submit(ready.run_id, failed, org_id=dead.envelope.org_id)

    async def retry_dead_input(dead: DeadLetter) -> None:
        """The scheduler's own input failed every delivery (say, the database was down for
        longer than the redelivery pauses): try it again from the dead-letter queue, slowly,
        so no run request or result is lost. Unusable letters are parked."""
        if dead.envelope is None:
            raise MalformedMessage(f"unreadable dead letter ({dead.reason})")
        log.warning("retrying a dead-lettered input", channel=dead.channel, reason=dead.reason)
        if dead.channel == Channel.RUNS_REQUESTED:
            await on_run_request(dead.envelope)
        else:
            await on_operation_message(dead.envelope)

    return [
        Subscription(Channel.RUNS_REQUESTED, on_run_request, concurrency, max_deliveries),
        Subscription(Channel.OPS_FINISHED, on_operation_message, concurrency, max_deliveries),
        Subscription(Channel.OPS_PROGRESS, on_operation_message, concurrency, max_deliveries),
        DeadLetterSubscription(Channel.OPS_READY_PROGRAMMATIC, on_dead_dispatch),
        DeadLetterSubscription(Channel.OPS_READY_AI, on_dead_dispatch),
        DeadLetterSubscription(Channel.OPS_FINISHED, retry_dead_input),
        DeadLetterSubscription(Channel.RUNS_REQUESTED, retry_dead_input),
        DeadLetterSubscription(Channel.OPS_PROGRESS, log_and_drop, 1),
    ]
