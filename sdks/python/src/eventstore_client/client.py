"""The synchronous client, on grpc's blocking API."""
from __future__ import annotations

import datetime
import threading
from typing import Iterable, Iterator, Sequence

import grpc

from . import _common, lifecycle
from ._common import SubscriptionItem
from ._stubs import pb, pb_grpc
from .errors import from_rpc_error
from .events import AppendResult, EventData, RecordedEvent
from .expected import ANY, ExpectedVersion
from .lifecycle import StreamState


class EventStoreClient:
    """A client of eventstored.

        with EventStoreClient("127.0.0.1:50051") as client:
            client.append("Order-1", [json_event("OrderPlaced", {"total": 42})], NO_STREAM)

    The options and their defaults are sdks/SPEC.md's "Connect": target HOST:PORT; TLS when
    tls=True or a PEM ca_cert (None: the system's roots) or client_cert + client_key (mutual TLS)
    is given; token: sent as `authorization: Bearer <token>` on every call; timeout: the default
    deadline in seconds of append and of each read page (None: none; each call's timeout= wins);
    keepalive_time / keepalive_timeout (seconds): pings while a call is open;
    max_receive_message_length (-1: unlimited). credentials (a grpc.ChannelCredentials), channel
    (your own) and options (extra gRPC channel options) are for what these do not cover.
    """

    def __init__(
        self,
        target: str = "127.0.0.1:50051",
        *,
        tls: bool = False,
        ca_cert: bytes | None = None,
        client_cert: bytes | None = None,
        client_key: bytes | None = None,
        token: str | None = None,
        timeout: float | None = _common.DEFAULT_TIMEOUT,
        keepalive_time: float = _common.DEFAULT_KEEPALIVE_TIME,
        keepalive_timeout: float = _common.DEFAULT_KEEPALIVE_TIMEOUT,
        max_receive_message_length: int = -1,
        credentials: grpc.ChannelCredentials | None = None,
        channel: grpc.Channel | None = None,
        options: Sequence[tuple[str, object]] | None = None,
    ):
        if channel is None:
            if credentials is None:
                credentials = _common.channel_credentials(tls, ca_cert, client_cert, client_key)
            opts = _common.channel_options(max_receive_message_length, keepalive_time, keepalive_timeout, options)
            channel = _common.open_channel(grpc, target, credentials, opts)
        self._metadata = _common.call_metadata(token)
        self._channel = channel
        self._stub = pb_grpc.EventStoreStub(channel)
        self.timeout = timeout

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> "EventStoreClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _unary(self, method, request, timeout):
        try:
            return method(request, timeout=self.timeout if timeout is None else timeout, metadata=self._metadata)
        except grpc.RpcError as error:
            raise from_rpc_error(error) from error

    def append(
        self,
        stream_id: str,
        events: Iterable[EventData] | EventData,
        expected_version: ExpectedVersion = ANY,
        *,
        timeout: float | None = None,
    ) -> AppendResult:
        """Appends events atomically. Raises WrongExpectedVersion (with the actual version) when the
        stream is not at expected_version; nothing is written then."""
        request = _common.append_request(stream_id, events, expected_version)
        response = self._unary(self._stub.Append, request, timeout)
        return AppendResult(response.current_version, response.first_global_position, response.last_global_position)

    def read_stream(
        self,
        stream_id: str,
        *,
        from_version: int = 0,
        direction: str = "forward",
        page_size: int = 0,
        limit: int | None = None,
        timeout: float | None = None,
    ) -> Iterator[RecordedEvent]:
        """The stream's events, fetched page by page as you iterate (sdks/SPEC.md, "Read"). direction
        "forward" from from_version (0: from the first), or "backward" from from_version (0: from
        the last) down to version 1; page_size events per request (0: the server's page); limit:
        the most events in all (None: every one). Raises NotFound (when iterated) if there is no
        such stream."""
        pager = _common.StreamPager(stream_id, from_version, direction, page_size, limit)
        while not pager.done:
            response = self._unary(self._stub.ReadStream, pager.request(), timeout)
            yield from pager.accept(response)

    def read_all(
        self,
        after_position: int = 0,
        *,
        stream_prefix: str = "",
        page_size: int = 0,
        limit: int | None = None,
        timeout: float | None = None,
    ) -> Iterator[RecordedEvent]:
        """Every event after a global position, in order, of the streams whose id starts with
        stream_prefix (empty: all), up to the head as it was when each page was read."""
        pager = _common.AllPager(after_position, stream_prefix, page_size, limit)
        while not pager.done:
            response = self._unary(self._stub.ReadAll, pager.request(), timeout)
            yield from pager.accept(response)

    def delete_stream(
        self, stream_id: str, expected_version: ExpectedVersion = ANY, *, timeout: float | None = None
    ) -> StreamState:
        """Removes every event of the stream if expected_version holds (else WrongExpectedVersion,
        nothing removed). It then reads as missing (NotFound); a later append continues its
        versions. A stream that never had an event: NotFound; a tombstoned one: StreamDeleted."""
        request = lifecycle.removal_request(pb.DeleteStreamRequest, stream_id, expected_version)
        return StreamState.from_proto(self._unary(self._stub.DeleteStream, request, timeout))

    def tombstone_stream(
        self, stream_id: str, expected_version: ExpectedVersion = ANY, *, timeout: float | None = None
    ) -> StreamState:
        """Deletes the stream for good: every later append or change raises StreamDeleted, and so
        does reading it. expected_version as for delete_stream."""
        request = lifecycle.removal_request(pb.TombstoneStreamRequest, stream_id, expected_version)
        return StreamState.from_proto(self._unary(self._stub.TombstoneStream, request, timeout))

    def truncate_stream(self, stream_id: str, before_version: int, *, timeout: float | None = None) -> StreamState:
        """Removes the events below before_version (capped at the end; never undone by a lower one)."""
        request = lifecycle.truncate_request(stream_id, before_version)
        return StreamState.from_proto(self._unary(self._stub.TruncateStream, request, timeout))

    def set_stream_retention(
        self,
        stream_id: str,
        *,
        max_count: int = 0,
        max_age: datetime.timedelta | None = None,
        timeout: float | None = None,
    ) -> StreamState:
        """Keeps only the last max_count events (0: no limit) and those younger than max_age (None:
        no limit); replaces both limits. Allowed before the stream's first event."""
        request = lifecycle.retention_request(stream_id, max_count, max_age)
        return StreamState.from_proto(self._unary(self._stub.SetStreamRetention, request, timeout))

    def get_stream_state(self, stream_id: str, *, timeout: float | None = None) -> StreamState:
        """The stream's state; NotFound for a stream that never had an event nor a retention."""
        request = lifecycle.state_request(stream_id)
        return StreamState.from_proto(self._unary(self._stub.GetStreamState, request, timeout))

    def subscribe(
        self,
        after_position: int = 0,
        stream_prefix: str = "",
        *,
        max_batch_events: int = _common.DEFAULT_MAX_BATCH_EVENTS,
        resume: bool = False,
        max_resume_attempts: int | None = None,
        resume_backoff: float = 0.1,
        max_resume_backoff: float = 5.0,
    ) -> "Subscription":
        """Catch-up then live: yields RecordedEvent, Checkpoint and CaughtUp (once per call to the
        server) in global-position order. With resume=True, after UNAVAILABLE it subscribes again
        by itself after the last position it delivered (event, checkpoint or caught-up), up to
        max_resume_attempts consecutive failed tries (None: forever), waiting resume_backoff
        seconds, doubled each try, at most max_resume_backoff. max_batch_events: how many events
        the server may put in one message (0: one per message); they are still yielded one by one."""
        policy = _common.ResumePolicy(resume, max_resume_attempts, resume_backoff, max_resume_backoff)
        return Subscription(self._stub, after_position, stream_prefix, max_batch_events, policy, self._metadata)


class Subscription(_common.SubscriptionState):
    """An iterator over a subscription. cancel() (from any thread) ends the iteration; so does
    leaving a `with` block. `position` is the last delivered global position (where a resume
    starts), `resumes` how many times it subscribed again, `last_error` the last Unavailable."""

    def __init__(
        self,
        stub,
        after_position: int,
        stream_prefix: str,
        max_batch_events: int,
        policy: _common.ResumePolicy,
        metadata=(),
    ):
        super().__init__(stub, after_position, stream_prefix, max_batch_events, policy, threading.Event(), metadata)
        self._lock = threading.Lock()

    def __iter__(self) -> "Subscription":
        return self

    def __enter__(self) -> "Subscription":
        return self

    def __exit__(self, *exc) -> None:
        self.cancel()

    def cancel(self) -> None:
        self._cancelled.set()
        with self._lock:
            if self._call is not None:
                self._call.cancel()

    def _open(self):
        with self._lock:
            if self._cancelled.is_set():
                raise StopIteration
            self._call = self._open_call()
            return self._call

    def __next__(self) -> SubscriptionItem:
        while True:
            item = self._hand_over()
            if item is not None:
                return item
            if self._cancelled.is_set():
                raise StopIteration
            call = self._call or self._open()
            try:
                message = next(call)
            except StopIteration:
                raise
            except grpc.RpcError as rpc_error:
                if self._cancelled.is_set():
                    raise StopIteration from None
                with self._lock:
                    self._call = None
                delay = self._resume_delay(rpc_error)
                if self._cancelled.wait(delay):
                    raise StopIteration from None
                self.resumes += 1
                continue
            self._receive(message)


__all__ = ["EventStoreClient", "Subscription", "SubscriptionItem"]
