"""Wire contracts: envelope, channel names, events and commands."""

from raikoo_common.messages.channels import (
    BROADCAST_CHANNELS,
    Channel,
    dead_letter_channel,
    parked_channel,
)
from raikoo_common.messages.envelope import (
    SCHEMA_VERSION,
    Envelope,
    MalformedMessage,
    Message,
    register,
)
from raikoo_common.messages.events import (
    CancelOperations,
    ErrorInfo,
    OperationFailed,
    OperationHeartbeat,
    OperationReady,
    OperationState,
    OperationStateChanged,
    OperationSucceeded,
    RecordedEvent,
    RunCancelRequested,
    RunEventsRecorded,
    RunRequested,
    RunState,
    RunStateChanged,
)

__all__ = [
    "BROADCAST_CHANNELS",
    "SCHEMA_VERSION",
    "CancelOperations",
    "Channel",
    "Envelope",
    "ErrorInfo",
    "MalformedMessage",
    "Message",
    "OperationFailed",
    "OperationHeartbeat",
    "OperationReady",
    "OperationState",
    "OperationStateChanged",
    "OperationSucceeded",
    "RecordedEvent",
    "RunCancelRequested",
    "RunEventsRecorded",
    "RunRequested",
    "RunState",
    "RunStateChanged",
    "dead_letter_channel",
    "parked_channel",
    "register",
]
