"""append_to_stream with every expected state (one NewEvent: the Append RPC; a list: BatchAppend),
WrongCurrentVersionError with the actual version, and bad input the client lets through (a
malformed event id, an append over limits.max_append_bytes) refused with nothing written."""
import os

import pytest

from drivers import stream_name
from kurrentdbclient import NewEvent, StreamState
from kurrentdbclient.exceptions import (
    KurrentDBClientError,
    MaximumAppendSizeExceededError,
    NotFoundError,
    WrongCurrentVersionError,
)


def new_event(type_="Appended", data=b'{"n": 1}'):
    return NewEvent(type=type_, data=data)


async def positions(c, stream):
    return [e.stream_position for e in await c.get_stream(stream)]


async def assert_not_written(c, stream):
    with pytest.raises(NotFoundError):
        await c.get_stream(stream)
    assert await c.get_current_version(stream) is StreamState.NO_STREAM


def test_one_event_with_each_expected_state(run):
    async def body(c):
        stream = stream_name()
        first = await c.append(stream, new_event(), StreamState.NO_STREAM)
        second = await c.append(stream, new_event(), StreamState.EXISTS)
        third = await c.append(stream, new_event(), StreamState.ANY)
        fourth = await c.append(stream, new_event(), 2)
        assert 0 <= first < second < third < fourth, "each append answers a larger commit position"
        assert await positions(c, stream) == [0, 1, 2, 3]
        assert await c.get_current_version(stream) == 3
        read = await c.get_stream(stream)
        assert read[-1].commit_position == fourth
        assert read[0].commit_position == first

    run(body)


def test_a_batch_with_each_expected_state(run):
    async def body(c):
        stream = stream_name()
        batches = [[new_event(f"Batch{tag}", b'{"n": %d}' % n) for n in range(3)] for tag in "ABCD"]
        commits = [
            await c.append(stream, batches[0], StreamState.NO_STREAM),
            await c.append(stream, batches[1], StreamState.EXISTS),
            await c.append(stream, batches[2], StreamState.ANY),
            await c.append(stream, batches[3], 8),
        ]
        assert commits == sorted(commits)
        read = await c.get_stream(stream)
        assert [e.stream_position for e in read] == list(range(12))
        assert [e.id for e in read] == [e.id for batch in batches for e in batch]
        assert [e.type for e in read] == [e.type for batch in batches for e in batch]
        assert read[2].commit_position == commits[0], "a batch answers the position of its last event"
        assert all(a.commit_position < b.commit_position for a, b in zip(read, read[1:]))

    run(body)


def test_any_on_a_new_stream_creates_it(run):
    async def body(c):
        stream = stream_name()
        await c.append(stream, [new_event(), new_event()], StreamState.ANY)
        assert await positions(c, stream) == [0, 1]

    run(body)


def test_a_wrong_exact_version_raises_with_the_actual_version(run):
    async def body(c):
        stream = stream_name()
        await c.append(stream, [new_event(), new_event()], StreamState.NO_STREAM)
        for events in (new_event(), [new_event(), new_event()]):  # Append, then BatchAppend
            with pytest.raises(WrongCurrentVersionError) as raised:
                await c.append(stream, events, 5)
            assert raised.value.actual_version == 1
            assert raised.value.expected_version == 5
            assert raised.value.stream_name == stream
        assert await positions(c, stream) == [0, 1]

    run(body)


def test_no_stream_on_an_existing_stream_raises_with_the_actual_version(run):
    async def body(c):
        stream = stream_name()
        await c.append(stream, new_event(), StreamState.ANY)
        for events in (new_event(), [new_event()]):
            with pytest.raises(WrongCurrentVersionError) as raised:
                await c.append(stream, events, StreamState.NO_STREAM)
            assert raised.value.actual_version == 0
        assert await positions(c, stream) == [0]

    run(body)


def test_exists_or_a_version_on_a_missing_stream_raise_with_no_stream(run):
    async def body(c):
        stream = stream_name()
        for events in (new_event(), [new_event()]):
            for version in (StreamState.EXISTS, 0):
                with pytest.raises(WrongCurrentVersionError) as raised:
                    await c.append(stream, events, version)
                assert raised.value.actual_version is StreamState.NO_STREAM
        await assert_not_written(c, stream)

    run(body)


def test_a_malformed_event_id_is_refused_and_nothing_is_written(run):
    async def body(c):
        stream = stream_name()
        bad = NewEvent(type="Bad", data=b"{}", id="not-a-uuid")  # the client does not check ids
        with pytest.raises(KurrentDBClientError):
            await c.append(stream, bad, StreamState.ANY)
        with pytest.raises(KurrentDBClientError):
            await c.append(stream, [new_event(), bad], StreamState.ANY)
        await assert_not_written(c, stream)

    run(body)


def test_an_append_over_the_size_limit_is_refused_and_nothing_is_written(run):
    async def body(c):
        limit = int(os.environ["KURRENT_MAX_APPEND_BYTES"])
        stream = stream_name()
        big = NewEvent(type="Big", data=bytes(limit + limit // 2), content_type="application/octet-stream")
        # BatchAppend: the error is a MaximumAppendSizeExceeded detail in the response.
        with pytest.raises(MaximumAppendSizeExceededError):
            await c.append(stream, [new_event(), big], StreamState.ANY)
        # Append: an INVALID_ARGUMENT status, which this client raises as a plain GrpcError.
        with pytest.raises(KurrentDBClientError):
            await c.append(stream, big, StreamState.ANY)
        await assert_not_written(c, stream)

    run(body)
