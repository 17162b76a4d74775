"""Events: new ones to append (EventData, with a client-made UUID v7 id), recorded ones read back
(RecordedEvent), the subscription markers (Checkpoint, CaughtUp), and the JSON / Protobuf payload
helpers with their decoders."""
from __future__ import annotations

import dataclasses
import datetime
import json
from typing import Any, Mapping, TypedDict, TypeVar, Unpack

from google.protobuf.message import Message

from ._stubs import pb
from .uuid7 import new_event_id

JSON_CONTENT_TYPE = "application/json"
PROTOBUF_CONTENT_TYPE = "application/x-protobuf"
BYTES_CONTENT_TYPE = "application/octet-stream"

M = TypeVar("M", bound=Message)


@dataclasses.dataclass(frozen=True)
class EventData:
    """An event to append. event_id is a UUID v7 made here, so appending the same EventData again
    is an idempotent retry. Every text field is passed to the server as it is."""

    type_name: str
    payload: bytes = b""
    content_type: str = ""
    tenant_id: str = ""
    correlation_id: str = ""
    causation_id: str = ""
    headers: Mapping[str, str] = dataclasses.field(default_factory=dict)
    event_id: str = dataclasses.field(default_factory=new_event_id)

    def caused_by(self, handled: "RecordedEvent") -> "EventData":
        """A copy correlated with the event being handled: correlation_id = the handled event's
        correlation_id (or its event_id when it has none), causation_id = its event_id."""
        correlation_id, causation_id = correlation_from(handled)
        return dataclasses.replace(self, correlation_id=correlation_id, causation_id=causation_id)

    def to_proto(self) -> pb.EventData:
        return pb.EventData(
            metadata=pb.EventMetadata(
                event_id=self.event_id,
                type_name=self.type_name,
                content_type=self.content_type,
                tenant_id=self.tenant_id,
                correlation_id=self.correlation_id,
                causation_id=self.causation_id,
                headers=dict(self.headers),
            ),
            payload=bytes(self.payload),
        )


@dataclasses.dataclass(frozen=True)
class RecordedEvent:
    """An event as stored: its stream, 1-based stream version and global position, metadata,
    payload bytes and the time the server recorded it (UTC)."""

    stream_id: str
    stream_version: int
    global_position: int
    event_id: str
    type_name: str
    content_type: str
    tenant_id: str
    correlation_id: str
    causation_id: str
    headers: Mapping[str, str]
    payload: bytes
    recorded_at: datetime.datetime | None

    @staticmethod
    def from_proto(message: pb.RecordedEvent) -> "RecordedEvent":
        meta = message.metadata
        recorded_at = None
        if message.HasField("recorded_at"):
            recorded_at = message.recorded_at.ToDatetime(tzinfo=datetime.timezone.utc)
        return RecordedEvent(
            stream_id=message.stream_id,
            stream_version=message.stream_version,
            global_position=message.global_position,
            event_id=meta.event_id,
            type_name=meta.type_name,
            content_type=meta.content_type,
            tenant_id=meta.tenant_id,
            correlation_id=meta.correlation_id,
            causation_id=meta.causation_id,
            headers=dict(meta.headers),
            payload=bytes(message.payload),
            recorded_at=recorded_at,
        )

    def json(self) -> Any:
        """The payload decoded as JSON (see decode_json)."""
        return decode_json(self)

    def protobuf(self, message_type: type[M]) -> M:
        """The payload decoded as message_type (see decode_protobuf)."""
        return decode_protobuf(self, message_type)


@dataclasses.dataclass(frozen=True)
class Checkpoint:
    """Subscription progress: every matching event up to global_position has been delivered."""

    global_position: int


@dataclasses.dataclass(frozen=True)
class CaughtUp:
    """The subscription reached the head at global_position; live events follow."""

    global_position: int


@dataclasses.dataclass(frozen=True)
class AppendResult:
    """The stream's version after the append and the global positions of the appended events."""

    current_version: int
    first_global_position: int
    last_global_position: int


def correlation_from(handled: RecordedEvent) -> tuple[str, str]:
    """(correlation_id, causation_id) for an event caused by `handled`."""
    return handled.correlation_id or handled.event_id, handled.event_id


def json_bytes(value: Any) -> bytes:
    """Compact JSON as UTF-8, the same bytes in every SDK: no spaces, keys in insertion order,
    non-ASCII characters as they are, control characters as \\b \\f \\n \\r \\t or \\u00xx (lower-case
    hex). NaN and infinities are refused."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


class _EventOptions(TypedDict, total=False):
    """The keyword arguments json_event and protobuf_event pass on to bytes_event."""

    tenant_id: str
    correlation_id: str
    causation_id: str
    headers: Mapping[str, str] | None
    caused_by: RecordedEvent | None
    event_id: str | None


def json_event(type_name: str, value: Any, **options: Unpack[_EventOptions]) -> EventData:
    """An event whose payload is `value` as compact JSON (content_type application/json); the
    keyword arguments are bytes_event's, but content_type."""
    return bytes_event(type_name, json_bytes(value), content_type=JSON_CONTENT_TYPE, **options)


def protobuf_event(message: Message, **options: Unpack[_EventOptions]) -> EventData:
    """An event whose payload is the serialised message (content_type application/x-protobuf,
    type_name the message's full name, e.g. eventstore.v1.Checkpoint); the keyword arguments are
    bytes_event's, but content_type."""
    return bytes_event(
        message.DESCRIPTOR.full_name,
        message.SerializeToString(deterministic=True),
        content_type=PROTOBUF_CONTENT_TYPE,
        **options,
    )


def bytes_event(
    type_name: str,
    payload: bytes,
    *,
    content_type: str = BYTES_CONTENT_TYPE,
    tenant_id: str = "",
    correlation_id: str = "",
    causation_id: str = "",
    headers: Mapping[str, str] | None = None,
    caused_by: RecordedEvent | None = None,
    event_id: str | None = None,
) -> EventData:
    """An event with a raw payload, the constructor json_event and protobuf_event go through.
    caused_by (the event being handled), when given, sets correlation_id and causation_id as
    correlation_from says; event_id defaults to a new UUID v7."""
    if caused_by is not None:
        correlation_id, causation_id = correlation_from(caused_by)
    return EventData(
        type_name=type_name,
        payload=bytes(payload),
        content_type=content_type,
        tenant_id=tenant_id,
        correlation_id=correlation_id,
        causation_id=causation_id,
        headers=dict(headers or {}),
        event_id=event_id or new_event_id(),
    )


def decode_json(event: RecordedEvent | EventData) -> Any:
    """The payload parsed as JSON. Raises ValueError if content_type is neither application/json
    nor empty (sdks/SPEC.md, "Events")."""
    if event.content_type not in (JSON_CONTENT_TYPE, ""):
        raise ValueError(f"content_type is {event.content_type!r}, not {JSON_CONTENT_TYPE}")
    return json.loads(event.payload.decode("utf-8"))


def decode_protobuf(event: RecordedEvent | EventData, message_type: type[M]) -> M:
    """The payload parsed as message_type. Raises ValueError if content_type is neither
    application/x-protobuf nor empty, or type_name is not message_type's full name."""
    if event.content_type not in (PROTOBUF_CONTENT_TYPE, ""):
        raise ValueError(f"content_type is {event.content_type!r}, not {PROTOBUF_CONTENT_TYPE}")
    full_name = message_type.DESCRIPTOR.full_name
    if event.type_name != full_name:
        raise ValueError(f"type_name is {event.type_name!r}, not {full_name!r}")
    return message_type.FromString(event.payload)


__all__ = [
    "EventData",
    "RecordedEvent",
    "Checkpoint",
    "CaughtUp",
    "AppendResult",
    "json_event",
    "protobuf_event",
    "bytes_event",
    "json_bytes",
    "decode_json",
    "decode_protobuf",
    "correlation_from",
    "JSON_CONTENT_TYPE",
    "PROTOBUF_CONTENT_TYPE",
    "BYTES_CONTENT_TYPE",
]
