"""get_stream forwards and backwards with limits, NotFoundError for a missing stream; read_all
forwards and backwards, filtered by stream-name prefix, by event-type prefix, by a regular
expression, and with the client's DEFAULT filter (a regex with a negative lookahead on the event
type); an invalid regular expression refused."""
import uuid

import pytest

from drivers import stream_name
from kurrentdbclient import DEFAULT_EXCLUDE_FILTER, NewEvent, StreamState
from kurrentdbclient.exceptions import KurrentDBClientError, NotFoundError


def test_get_stream_forwards_and_backwards_with_limits(run):
    async def body(c):
        stream = stream_name()
        await c.append(stream, [NewEvent(type="Counted", data=b'{"n": %d}' % n) for n in range(10)], StreamState.NO_STREAM)

        async def pos(**kwargs):
            return [e.stream_position for e in await c.get_stream(stream, **kwargs)]

        assert await pos() == list(range(10))
        assert await pos(limit=3) == [0, 1, 2]
        assert await pos(stream_position=4, limit=3) == [4, 5, 6]
        assert await pos(stream_position=8) == [8, 9]
        assert await pos(backwards=True, limit=3) == [9, 8, 7]
        assert await pos(stream_position=5, backwards=True, limit=2) == [5, 4]
        assert await pos(backwards=True) == list(range(9, -1, -1))
        assert await pos(stream_position=10) == []
        first = (await c.get_stream(stream, limit=1))[0]
        assert (first.stream_name, first.type, first.data) == (stream, "Counted", b'{"n": 0}')
        assert first.commit_position == first.prepare_position

    run(body)


def test_a_missing_stream_raises_not_found(run):
    async def body(c):
        stream = stream_name("missing")
        with pytest.raises(NotFoundError):
            await c.get_stream(stream)
        with pytest.raises(NotFoundError):
            await c.get_stream(stream, backwards=True, limit=1)

    run(body)


async def write_all_fixture(c):
    """Five events on three streams of a unique prefix, with event types of a unique prefix."""
    prefix = f"pyall-{uuid.uuid4()}"
    type_prefix = f"T{uuid.uuid4().hex[:8]}"
    written = []
    for stream, type_ in [("a", "Alpha"), ("b", "Beta"), ("c", "Alpha"), ("a", "Gamma"), ("b", "Alpha")]:
        event = NewEvent(type=f"{type_prefix}{type_}", data=b"{}")
        commit = await c.append(f"{prefix}-{stream}", event, StreamState.ANY)
        written.append((event.id, f"{prefix}-{stream}", event.type, commit))
    return prefix, type_prefix, written


def ids(events):
    return [e.id for e in events]


def test_read_all_forwards_from_a_position_and_backwards(run):
    async def body(c):
        prefix, _, written = await write_all_fixture(c)
        first_commit = written[0][3]
        forward = await c.read_all(commit_position=first_commit, limit=len(written), filter_exclude=())
        assert forward[0].id == written[0][0], "a forward read starts at its position"
        assert all(a.commit_position < b.commit_position for a, b in zip(forward, forward[1:]))
        ours = [e for e in forward if e.stream_name.startswith(prefix)]
        assert ids(ours) == [w[0] for w in written][: len(ours)]

        backward = await c.read_all(backwards=True, limit=50, filter_exclude=())
        assert backward and all(a.commit_position > b.commit_position for a, b in zip(backward, backward[1:]))
        older = await c.read_all(commit_position=written[2][3], backwards=True, limit=2, filter_exclude=())
        assert len(older) == 2 and all(e.commit_position <= written[2][3] for e in older)
        assert await c.get_commit_position(filter_exclude=()) >= written[-1][3]

    run(body)


def test_read_all_filtered_by_stream_name_prefix(run):
    async def body(c):
        prefix, _, written = await write_all_fixture(c)
        include = [f"{prefix}-a", f"{prefix}-c"]
        expected = [w[0] for w in written if w[1] in include]
        kwargs = dict(filter_include=include, filter_by_stream_name=True, filter_by_prefix=True)
        assert ids(await c.read_all(**kwargs)) == expected
        assert ids(await c.read_all(backwards=True, **kwargs)) == expected[::-1]
        assert ids(await c.read_all(limit=2, **kwargs)) == expected[:2]

    run(body)


def test_read_all_filtered_by_event_type_prefix(run):
    async def body(c):
        _, type_prefix, written = await write_all_fixture(c)
        expected = [w[0] for w in written if w[2].endswith("Alpha")]
        kwargs = dict(filter_include=[f"{type_prefix}Alpha"], filter_by_prefix=True)
        assert ids(await c.read_all(commit_position=written[0][3], **kwargs)) == expected
        assert ids(await c.read_all(backwards=True, **kwargs)) == expected[::-1]

    run(body)


def test_read_all_filtered_by_regular_expressions(run):
    async def body(c):
        prefix, type_prefix, written = await write_all_fixture(c)
        # filter_include is sent as the regex "^(a|b)$"-style alternation the client builds.
        by_stream = await c.read_all(filter_include=[f"{prefix}-a", f"{prefix}-b"], filter_by_stream_name=True)
        assert ids(by_stream) == [w[0] for w in written if w[1].endswith(("-a", "-b"))]
        by_type = await c.read_all(commit_position=written[0][3], filter_include=[f"{type_prefix}(Beta|Gamma)"])
        assert ids(by_type) == [w[0] for w in written if w[2].endswith(("Beta", "Gamma"))]
        # filter_exclude: every event type but these.
        excluded = await c.read_all(commit_position=written[0][3], filter_exclude=[f"{type_prefix}Alpha"])
        ours = [e for e in excluded if e.stream_name.startswith(prefix)]
        assert ids(ours) == [w[0] for w in written if not w[2].endswith("Alpha")]

    run(body)


def test_read_all_with_the_default_filter_skips_system_like_types_persistent_config_and_result(run):
    async def body(c):
        assert DEFAULT_EXCLUDE_FILTER == (r"\$.+", r"PersistentConfig\d+", r"Result")
        stream = stream_name("pydefault")
        types = ["Result", "PersistentConfig1", "$system-like", "Kept", "ResultKept", "PersistentConfigX"]
        commit = await c.append(stream, [NewEvent(type=t, data=b"{}") for t in types], StreamState.NO_STREAM)
        first = (await c.get_stream(stream, limit=1))[0].commit_position
        read = [e for e in await c.read_all(commit_position=first) if e.stream_name == stream]
        assert [e.type for e in read] == ["Kept", "ResultKept", "PersistentConfigX"]
        backward = [e for e in await c.read_all(backwards=True, limit=100) if e.stream_name == stream]
        assert [e.type for e in backward] == ["PersistentConfigX", "ResultKept", "Kept"]
        assert await c.get_commit_position() >= commit

    run(body)


def test_an_invalid_regular_expression_is_refused(run):
    async def body(c):
        await c.read_all(filter_include=["valid"], filter_by_stream_name=True, limit=1)  # a valid one is served
        with pytest.raises(KurrentDBClientError):
            await c.read_all(filter_include=["("], filter_by_stream_name=True, limit=1)
        with pytest.raises(KurrentDBClientError):
            await c.read_all(filter_include=["[a-"], limit=1)

    run(body)
