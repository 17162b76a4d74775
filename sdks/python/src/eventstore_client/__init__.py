"""eventstore_client: the Python client of eventstored (sync on grpc, async on grpc.aio)."""
from . import events as _events
from ._stubs import pb
from .aio import AsyncEventStoreClient, AsyncSubscription
from .client import EventStoreClient, Subscription
from .errors import (
    AlreadyExists,
    Cancelled,
    DeadlineExceeded,
    EventStoreError,
    InvalidArgument,
    NotFound,
    PermissionDenied,
    ResourceExhausted,
    StreamDeleted,
    Unauthenticated,
    Unavailable,
    WrongExpectedVersion,
)
from .events import (
    BYTES_CONTENT_TYPE,
    JSON_CONTENT_TYPE,
    PROTOBUF_CONTENT_TYPE,
    AppendResult,
    CaughtUp,
    Checkpoint,
    EventData,
    RecordedEvent,
    bytes_event,
    correlation_from,
    decode_json,
    decode_protobuf,
    json_bytes,
    json_event,
    protobuf_event,
)
from .expected import ANY, NO_STREAM, STREAM_EXISTS, ExpectedVersion, exact
from .lifecycle import StreamRetention, StreamState
from .uuid7 import is_uuid7, new_event_id, uuid7

__version__ = "0.1.0"

__all__ = [
    "pb",
    "EventStoreClient",
    "Subscription",
    "AsyncEventStoreClient",
    "AsyncSubscription",
    "EventStoreError",
    "WrongExpectedVersion",
    "StreamDeleted",
    "NotFound",
    "AlreadyExists",
    "InvalidArgument",
    "ResourceExhausted",
    "DeadlineExceeded",
    "Unauthenticated",
    "PermissionDenied",
    "Unavailable",
    "Cancelled",
    *_events.__all__,
    "StreamState",
    "StreamRetention",
    "ExpectedVersion",
    "ANY",
    "NO_STREAM",
    "STREAM_EXISTS",
    "exact",
    "uuid7",
    "new_event_id",
    "is_uuid7",
]
