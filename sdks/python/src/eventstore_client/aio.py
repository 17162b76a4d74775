"""The asyncio client, on grpc.aio. Same calls as EventStoreClient, awaited; reads and
subscriptions are async iterators."""
from __future__ import annotations

import asyncio
import datetime
from typing import AsyncIterator, Iterable, Sequence

import grpc
import grpc.aio

from . import _common, lifecycle
from ._common import SubscriptionItem
from ._stubs import pb, pb_grpc
from .errors import from_rpc_error
from .events import AppendResult, EventData, RecordedEvent
from .expected import ANY, ExpectedVersion
from .lifecycle import StreamState


class AsyncEventStoreClient:
    """The asyncio client.

        async with AsyncEventStoreClient("127.0.0.1:50051") as client:
            await client.append("Order-1", [json_event("OrderPlaced", {"total": 42})], NO_STREAM)
            async for event in client.read_stream("Order-1"):
                ...

    Create it inside the event loop that uses it. Arguments as for EventStoreClient.
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
        channel: grpc.aio.Channel | None = None,
        options: Sequence[tuple[str, object]] | None = None,
    ):
        if channel is None:
            if credentials is None:
                credentials = _common.channel_credentials(tls, ca_cert, client_cert, client_key)
            opts = _common.channel_options(max_receive_message_length, keepalive_time, keepalive_timeout, options)
            channel = _common.open_channel(grpc.aio, target, credentials, opts)
        self._metadata = _common.call_metadata(token)
        self._channel = channel
        self._stub = pb_grpc.EventStoreStub(channel)
        self.timeout = timeout

    async def close(self) -> None:
        await self._channel.close()

    async def __aenter__(self) -> "AsyncEventStoreClient":
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def _unary(self, method, request, timeout):
        try:
            return await method(request, timeout=self.timeout if timeout is None else timeout, metadata=self._metadata)
        except grpc.aio.AioRpcError as error:
            raise from_rpc_error(error) from error

    async def append(
        self,
        stream_id: str,
        events: Iterable[EventData] | EventData,
        expected_version: ExpectedVersion = ANY,
        *,
        timeout: float | None = None,
    ) -> AppendResult:
        """Appends events atomically; raises WrongExpectedVersion as EventStoreClient.append."""
        request = _common.append_request(stream_id, events, expected_version)
        response = await self._unary(self._stub.Append, request, timeout)
        return AppendResult(response.current_version, response.first_global_position, response.last_global_position)

    async def read_stream(
        self,
        stream_id: str,
        *,
        from_version: int = 0,
        direction: str = "forward",
        page_size: int = 0,
        limit: int | None = None,
        timeout: float | None = None,
    ) -> AsyncIterator[RecordedEvent]:
        """An async iterator over the stream's events, page by page (see EventStoreClient.read_stream)."""
        pager = _common.StreamPager(stream_id, from_version, direction, page_size, limit)
        while not pager.done:
            response = await self._unary(self._stub.ReadStream, pager.request(), timeout)
            for event in pager.accept(response):
                yield event

    async def read_all(
        self,
        after_position: int = 0,
        *,
        stream_prefix: str = "",
        page_size: int = 0,
        limit: int | None = None,
        timeout: float | None = None,
    ) -> AsyncIterator[RecordedEvent]:
        """An async iterator over every event after a position (see EventStoreClient.read_all)."""
        pager = _common.AllPager(after_position, stream_prefix, page_size, limit)
        while not pager.done:
            response = await self._unary(self._stub.ReadAll, pager.request(), timeout)
            for event in pager.accept(response):
                yield event

    async def delete_stream(
        self, stream_id: str, expected_version: ExpectedVersion = ANY, *, timeout: float | None = None
    ) -> StreamState:
        """As EventStoreClient.delete_stream."""
        request = lifecycle.removal_request(pb.DeleteStreamRequest, stream_id, expected_version)
        return StreamState.from_proto(await self._unary(self._stub.DeleteStream, request, timeout))

    async def tombstone_stream(
        self, stream_id: str, expected_version: ExpectedVersion = ANY, *, timeout: float | None = None
    ) -> StreamState:
        """As EventStoreClient.tombstone_stream."""
        request = lifecycle.removal_request(pb.TombstoneStreamRequest, stream_id, expected_version)
        return StreamState.from_proto(await self._unary(self._stub.TombstoneStream, request, timeout))

    async def truncate_stream(self, stream_id: str, before_version: int, *, timeout: float | None = None) -> StreamState:
        """As EventStoreClient.truncate_stream."""
        request = lifecycle.truncate_request(stream_id, before_version)
        return StreamState.from_proto(await self._unary(self._stub.TruncateStream, request, timeout))

    async def set_stream_retention(
        self,
        stream_id: str,
        *,
        max_count: int = 0,
        max_age: datetime.timedelta | None = None,
        timeout: float | None = None,
    ) -> StreamState:
        """As EventStoreClient.set_stream_retention."""
        request = lifecycle.retention_request(stream_id, max_count, max_age)
        return StreamState.from_proto(await self._unary(self._stub.SetStreamRetention, request, timeout))

    async def get_stream_state(self, stream_id: str, *, timeout: float | None = None) -> StreamState:
        """As EventStoreClient.get_stream_state."""
        request = lifecycle.state_request(stream_id)
        return StreamState.from_proto(await self._unary(self._stub.GetStreamState, request, timeout))

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
    ) -> "AsyncSubscription":
        """An async iterator of RecordedEvent, Checkpoint and CaughtUp; resume and max_batch_events
        as in EventStoreClient.subscribe."""
        policy = _common.ResumePolicy(resume, max_resume_attempts, resume_backoff, max_resume_backoff)
        return AsyncSubscription(self._stub, after_position, stream_prefix, max_batch_events, policy, self._metadata)


class AsyncSubscription(_common.SubscriptionState):
    """An async iterator over a subscription; cancel() or leaving `async with` ends it."""

    def __init__(
        self,
        stub,
        after_position: int,
        stream_prefix: str,
        max_batch_events: int,
        policy: _common.ResumePolicy,
        metadata=(),
    ):
        super().__init__(stub, after_position, stream_prefix, max_batch_events, policy, asyncio.Event(), metadata)

    def __aiter__(self) -> "AsyncSubscription":
        return self

    async def __aenter__(self) -> "AsyncSubscription":
        return self

    async def __aexit__(self, *exc) -> None:
        self.cancel()

    def cancel(self) -> None:
        self._cancelled.set()
        if self._call is not None:
            self._call.cancel()

    async def __anext__(self) -> SubscriptionItem:
        while True:
            item = self._hand_over()
            if item is not None:
                return item
            if self._cancelled.is_set():
                raise StopAsyncIteration
            if self._call is None:
                self._call = self._open_call()
            try:
                message = await self._call.read()
            except asyncio.CancelledError:
                if self._cancelled.is_set():
                    raise StopAsyncIteration from None
                raise
            except grpc.aio.AioRpcError as rpc_error:
                self._call = None
                if self._cancelled.is_set():
                    raise StopAsyncIteration from None
                delay = self._resume_delay(rpc_error)
                try:
                    await asyncio.wait_for(self._cancelled.wait(), delay)
                    raise StopAsyncIteration
                except asyncio.TimeoutError:
                    pass
                self.resumes += 1
                continue
            if message is grpc.aio.EOF:
                self._call = None
                raise StopAsyncIteration
            self._receive(message)


__all__ = ["AsyncEventStoreClient", "AsyncSubscription", "SubscriptionItem"]
