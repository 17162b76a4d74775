"""Typed errors. Every error the client raises for a failed call is an EventStoreError; the gRPC
error it came from is its __cause__."""
from __future__ import annotations

import grpc

from ._stubs import pb, status_pb2
from .expected import ExpectedVersion

STATUS_DETAILS_KEY = "grpc-status-details-bin"


class EventStoreError(Exception):
    """Base of every error of this client: code (grpc.StatusCode) and the server's message."""

    def __init__(self, message: str, code: grpc.StatusCode | None = None):
        super().__init__(message)
        self.message = message
        self.code = code


class WrongExpectedVersion(EventStoreError):
    """FAILED_PRECONDITION: the stream was not at the expected version; nothing was written."""

    def __init__(self, message: str, stream_id: str, expected: ExpectedVersion, actual_version: int):
        super().__init__(message, grpc.StatusCode.FAILED_PRECONDITION)
        self.stream_id = stream_id
        self.expected = expected
        self.actual_version = actual_version


class StreamDeleted(EventStoreError):
    """The stream is tombstoned (deleted for good): FAILED_PRECONDITION for an append or a change,
    NOT_FOUND for a read; `code` says which. Both carry the StreamDeleted detail."""

    def __init__(self, message: str, code: grpc.StatusCode, stream_id: str):
        super().__init__(message, code)
        self.stream_id = stream_id


class NotFound(EventStoreError):
    """NOT_FOUND: the stream does not exist."""


class AlreadyExists(EventStoreError):
    """ALREADY_EXISTS: an event id is already stored, and the append is not an idempotent retry."""


class InvalidArgument(EventStoreError):
    """INVALID_ARGUMENT: the request broke a rule; the message names the field."""


class ResourceExhausted(EventStoreError):
    """RESOURCE_EXHAUSTED: over a limit (events or bytes of an append, the store's max_bytes)."""


class DeadlineExceeded(EventStoreError):
    """DEADLINE_EXCEEDED: the call's deadline passed (the client's timeout, or the backend's)."""


class Unauthenticated(EventStoreError):
    """UNAUTHENTICATED: auth is on and the call carried no token, or an unknown one."""


class PermissionDenied(EventStoreError):
    """PERMISSION_DENIED: the token may not do this (write with a read-only token, a stream outside
    its prefixes, another tenant's stream)."""


class Unavailable(EventStoreError):
    """UNAVAILABLE: the server cannot be reached, is shutting down, or lost its storage."""


class Cancelled(EventStoreError):
    """CANCELLED: the call was cancelled."""


_BY_CODE = {
    grpc.StatusCode.NOT_FOUND: NotFound,
    grpc.StatusCode.ALREADY_EXISTS: AlreadyExists,
    grpc.StatusCode.INVALID_ARGUMENT: InvalidArgument,
    grpc.StatusCode.RESOURCE_EXHAUSTED: ResourceExhausted,
    grpc.StatusCode.DEADLINE_EXCEEDED: DeadlineExceeded,
    grpc.StatusCode.UNAUTHENTICATED: Unauthenticated,
    grpc.StatusCode.PERMISSION_DENIED: PermissionDenied,
    grpc.StatusCode.UNAVAILABLE: Unavailable,
    grpc.StatusCode.CANCELLED: Cancelled,
}


def _detail(metadata, message_type):
    """The first detail of type message_type (a generated class) in the grpc-status-details-bin
    trailer, or None."""
    for key, value in metadata or ():
        if key != STATUS_DETAILS_KEY:
            continue
        status = status_pb2().Status.FromString(value)
        for detail in status.details:
            if detail.Is(message_type.DESCRIPTOR):
                found = message_type()
                detail.Unpack(found)
                return found
    return None


def from_status(code: grpc.StatusCode, message: str, trailing_metadata) -> EventStoreError:
    """The typed error for a gRPC status (code, message, trailing metadata)."""
    message = message or ""
    if code == grpc.StatusCode.FAILED_PRECONDITION:
        wrong = _detail(trailing_metadata, pb.WrongExpectedVersion)
        if wrong is not None:
            return WrongExpectedVersion(
                message,
                stream_id=wrong.stream_id,
                expected=ExpectedVersion.from_proto(wrong.expected),
                actual_version=wrong.actual_version,
            )
    if code in (grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.NOT_FOUND):
        deleted = _detail(trailing_metadata, pb.StreamDeleted)
        if deleted is not None:
            return StreamDeleted(message, code, deleted.stream_id)
    return _BY_CODE.get(code, EventStoreError)(message, code)


def from_rpc_error(error: grpc.RpcError) -> EventStoreError:
    """The typed error for a grpc.RpcError (sync) or grpc.aio.AioRpcError (async)."""
    code = error.code() if hasattr(error, "code") else grpc.StatusCode.UNKNOWN
    details = error.details() if hasattr(error, "details") else str(error)
    metadata = error.trailing_metadata() if hasattr(error, "trailing_metadata") else None
    return from_status(code, details, metadata)


__all__ = [
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
    "from_rpc_error",
]
