"""Expected-version helpers for optimistic concurrency: ANY, NO_STREAM, STREAM_EXISTS, exact(n)."""
from __future__ import annotations

import dataclasses

from google.protobuf import empty_pb2

from ._stubs import pb


@dataclasses.dataclass(frozen=True)
class ExpectedVersion:
    """What the stream's version must be for an append to succeed.

    kind is "any", "no_stream", "stream_exists" or "exact" (then version is the 1-based version of
    the stream's last event; exact(0) means the same as no_stream).
    """

    kind: str
    version: int | None = None

    @staticmethod
    def any() -> "ExpectedVersion":
        return ANY

    @staticmethod
    def no_stream() -> "ExpectedVersion":
        return NO_STREAM

    @staticmethod
    def stream_exists() -> "ExpectedVersion":
        return STREAM_EXISTS

    @staticmethod
    def exact(version: int) -> "ExpectedVersion":
        return exact(version)

    def to_proto(self) -> pb.ExpectedVersion:
        if self.kind == "any":
            return pb.ExpectedVersion(any=empty_pb2.Empty())
        if self.kind == "no_stream":
            return pb.ExpectedVersion(no_stream=empty_pb2.Empty())
        if self.kind == "stream_exists":
            return pb.ExpectedVersion(stream_exists=empty_pb2.Empty())
        if self.kind == "exact":
            return pb.ExpectedVersion(exact=self.version)
        raise ValueError(f"unknown expected version kind {self.kind!r}")

    @staticmethod
    def from_proto(message: pb.ExpectedVersion) -> "ExpectedVersion":
        """The server's view; an unset oneof means `any`."""
        kind = message.WhichOneof("kind")
        if kind == "exact":
            return exact(message.exact)
        return {"no_stream": NO_STREAM, "stream_exists": STREAM_EXISTS}.get(kind or "any", ANY)

    def __str__(self) -> str:
        return f"exact({self.version})" if self.kind == "exact" else self.kind


def exact(version: int) -> ExpectedVersion:
    """The stream's last event must have this version (0: the stream must not exist)."""
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise ValueError(f"exact version must be a whole number >= 0, not {version!r}")
    return ExpectedVersion("exact", version)


ANY = ExpectedVersion("any")
NO_STREAM = ExpectedVersion("no_stream")
STREAM_EXISTS = ExpectedVersion("stream_exists")

__all__ = ["ExpectedVersion", "ANY", "NO_STREAM", "STREAM_EXISTS", "exact"]
