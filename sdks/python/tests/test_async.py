"""The asyncio client (grpc.aio) against a real eventstored."""
import asyncio
import datetime
import uuid

import grpc
import pytest

from eventstore_client import (
    NO_STREAM,
    AsyncEventStoreClient,
    CaughtUp,
    InvalidArgument,
    NotFound,
    RecordedEvent,
    StreamDeleted,
    StreamRetention,
    Unavailable,
    WrongExpectedVersion,
    exact,
    json_event,
)
from eventstore_server import EventStoreServer


FRESH_CONNECTION = [("grpc.use_local_subchannel_pool", 1)]  # not gRPC's shared, backing-off one


def evs(n, start=1):
    return [json_event(f"E{i}", {"i": i}) for i in range(start, start + n)]


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 60))


def test_async_append_read_and_typed_errors(server, stream_id):
    async def scenario():
        async with AsyncEventStoreClient(server.target, timeout=10) as client:
            assert (await client.append(stream_id, evs(5), NO_STREAM)).current_version == 5
            with pytest.raises(WrongExpectedVersion) as caught:
                await client.append(stream_id, evs(1), exact(4))
            assert (caught.value.stream_id, caught.value.expected, caught.value.actual_version) == (stream_id, exact(4), 5)
            forward = [e.stream_version async for e in client.read_stream(stream_id, page_size=2)]
            backward = [e.stream_version async for e in client.read_stream(stream_id, direction="backward", page_size=2)]
            everything = [e.stream_version async for e in client.read_all(stream_prefix=stream_id, page_size=2)]
            assert forward == everything == [1, 2, 3, 4, 5] and backward == [5, 4, 3, 2, 1]
            with pytest.raises(NotFound):
                [e async for e in client.read_stream(stream_id + "-missing")]
            with pytest.raises(InvalidArgument):
                await client.append("", evs(1))

    run(scenario())


def test_async_subscription_catches_up_then_goes_live(server):
    prefix = f"async-{uuid.uuid4().hex[:8]}-"

    async def scenario():
        async with AsyncEventStoreClient(server.target, timeout=10) as client:
            await client.append(prefix + "s", evs(2), NO_STREAM)
            seen = []
            async with client.subscribe(0, prefix) as subscription:
                async for item in subscription:
                    seen.append(item)
                    if isinstance(item, CaughtUp):
                        await client.append(prefix + "s", evs(1, start=3), exact(2))
                    if isinstance(item, RecordedEvent) and item.stream_version == 3:
                        break
            kinds = [type(i).__name__ for i in seen if not type(i).__name__ == "Checkpoint"]
            assert kinds == ["RecordedEvent", "RecordedEvent", "CaughtUp", "RecordedEvent"]
            assert subscription.cancelled
            with pytest.raises(StopAsyncIteration):  # a cancelled subscription stays ended
                await subscription.__anext__()

    run(scenario())


def test_async_subscription_resumes_after_unavailable():
    """As the sync resume test: restart on the same port, re-fill the same history, then new events."""
    async def scenario(server):
        async with AsyncEventStoreClient(server.target, timeout=10) as client:
            history = evs(2)
            await client.append("s", history, NO_STREAM)
            subscription = client.subscribe(resume=True, resume_backoff=0.05, max_resume_backoff=0.5)
            items = [await subscription.__anext__() for _ in range(3)]
            assert isinstance(items[-1], CaughtUp)
            await asyncio.to_thread(server.stop)
            fresh = evs(1, start=3)

            async def refill():
                await asyncio.sleep(0.3)
                await asyncio.to_thread(server.start)
                async with AsyncEventStoreClient(server.target, timeout=10, options=FRESH_CONNECTION) as writer:
                    await writer.append("s", history, NO_STREAM)
                    await writer.append("s", fresh, exact(2))

            refilling = asyncio.create_task(refill())
            got = None

            async def first_event():
                async for item in subscription:
                    if isinstance(item, RecordedEvent):
                        return item

            got = await asyncio.wait_for(first_event(), 30)
            await refilling
            subscription.cancel()
            assert (got.stream_version, got.event_id) == (3, fresh[0].event_id)
            assert subscription.resumes >= 1 and isinstance(subscription.last_error, Unavailable)

    with EventStoreServer() as server:
        run(scenario(server))


def test_async_shutdown_without_resume_raises_unavailable():
    async def scenario(server):
        async with AsyncEventStoreClient(server.target, timeout=10) as client:
            subscription = client.subscribe()
            assert isinstance(await subscription.__anext__(), CaughtUp)
            await asyncio.to_thread(server.stop)
            with pytest.raises(Unavailable, match="shutting down"):
                await subscription.__anext__()

    with EventStoreServer() as server:
        run(scenario(server))


def test_async_lifecycle_calls_and_stream_deleted(server, stream_id):
    async def scenario():
        async with AsyncEventStoreClient(server.target, timeout=10) as client:
            await client.append(stream_id, evs(3), NO_STREAM)
            retained = await client.set_stream_retention(stream_id, max_count=2, max_age=datetime.timedelta(hours=1))
            assert retained.retention == StreamRetention(2, datetime.timedelta(hours=1))
            assert (await client.truncate_stream(stream_id, 3)).truncate_before == 3
            assert [e.stream_version async for e in client.read_stream(stream_id)] == [3]
            deleted = await client.delete_stream(stream_id, exact(3))
            assert (deleted.deleted, deleted.tombstoned, deleted.last_version) == (True, False, 3)
            assert (await client.get_stream_state(stream_id)) == deleted
            assert (await client.tombstone_stream(stream_id)).tombstoned
            with pytest.raises(StreamDeleted) as appending:
                await client.append(stream_id, evs(1))
            with pytest.raises(StreamDeleted) as reading:
                [e async for e in client.read_stream(stream_id)]
            assert (appending.value.code, reading.value.code) == (grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.NOT_FOUND)

    run(scenario())
