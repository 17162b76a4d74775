"""The stream lifecycle (sdks/SPEC.md, "Stream lifecycle"): the requests of delete, tombstone,
truncate, set-retention and get-state, and the StreamState every one of them answers."""
from __future__ import annotations

import dataclasses
import datetime

from google.protobuf import duration_pb2

from ._stubs import pb
from .expected import ANY, ExpectedVersion


@dataclasses.dataclass(frozen=True)
class StreamRetention:
    """What a stream keeps: its last max_count events (0: no limit) and those younger than max_age
    (None: no limit). The server keeps max_age in whole microseconds."""

    max_count: int = 0
    max_age: datetime.timedelta | None = None

    def to_proto(self) -> pb.StreamRetention:
        if self.max_count < 0:
            raise ValueError(f"max_count must be >= 0 (0: no limit), not {self.max_count}")
        retention = pb.StreamRetention(max_count=self.max_count)
        if self.max_age is not None:
            if self.max_age < datetime.timedelta(0):
                raise ValueError(f"max_age must not be negative, not {self.max_age}")
            retention.max_age.FromTimedelta(self.max_age)
        return retention

    @staticmethod
    def from_proto(message: pb.StreamRetention) -> "StreamRetention":
        """An unset or zero max_age is no limit (None)."""
        age = message.max_age.ToTimedelta() if message.HasField("max_age") else datetime.timedelta(0)
        return StreamRetention(message.max_count, age or None)


@dataclasses.dataclass(frozen=True)
class StreamState:
    """A stream's state after a lifecycle call. last_version: the highest version ever appended
    (it never goes back; expected versions compare with it); truncate_before: events with a lower
    version are removed; deleted: every event is removed; tombstoned: deleted for good."""

    stream_id: str
    last_version: int
    truncate_before: int
    deleted: bool
    tombstoned: bool
    retention: StreamRetention

    @staticmethod
    def from_proto(message: pb.StreamState) -> "StreamState":
        return StreamState(
            stream_id=message.stream_id,
            last_version=message.last_version,
            truncate_before=message.truncate_before,
            deleted=message.deleted,
            tombstoned=message.tombstoned,
            retention=StreamRetention.from_proto(message.retention),
        )


def removal_request(request_type, stream_id: str, expected_version: ExpectedVersion | None):
    """A DeleteStreamRequest or TombstoneStreamRequest (request_type): both take an expected version."""
    return request_type(stream_id=stream_id, expected_version=(expected_version or ANY).to_proto())


def truncate_request(stream_id: str, before_version: int) -> pb.TruncateStreamRequest:
    if before_version < 0:
        raise ValueError(f"before_version must be >= 0, not {before_version}")
    return pb.TruncateStreamRequest(stream_id=stream_id, before_version=before_version)


def retention_request(
    stream_id: str, max_count: int, max_age: datetime.timedelta | None
) -> pb.SetStreamRetentionRequest:
    return pb.SetStreamRetentionRequest(stream_id=stream_id, retention=StreamRetention(max_count, max_age).to_proto())


def state_request(stream_id: str) -> pb.GetStreamStateRequest:
    return pb.GetStreamStateRequest(stream_id=stream_id)


__all__ = ["StreamRetention", "StreamState"]
