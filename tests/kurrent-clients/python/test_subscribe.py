"""subscribe_to_stream and subscribe_to_all, from the start and from a position: the history,
CaughtUp, then live events; Checkpoints while a filter skips events."""
import asyncio
import time
import uuid

from drivers import stream_name
from kurrentdbclient import CaughtUp, Checkpoint, NewEvent, RecordedEvent, StreamState


def events(n, type_="Subscribed"):
    return [NewEvent(type=type_, data=b'{"i": %d}' % i) for i in range(n)]


async def collect_until(sub, done, timeout=15.0):
    """Items of `sub` until done(items) is true; fails after `timeout` seconds."""
    items = []
    deadline = time.monotonic() + timeout
    while not done(items):
        remaining = deadline - time.monotonic()
        assert remaining > 0, f"timed out; got {items!r}"
        items.append(await sub.next(timeout=remaining))
    return items


def recorded(items):
    """The events among `items` (CaughtUp and Checkpoint are RecordedEvent subclasses)."""
    return [i for i in items if type(i) is RecordedEvent]


def caught_up(items):
    return any(isinstance(i, CaughtUp) for i in items)


def split_at_caught_up(items):
    index = next(n for n, i in enumerate(items) if isinstance(i, CaughtUp))
    return recorded(items[:index]), items[index], recorded(items[index + 1:])


def test_subscribe_to_stream_from_the_start_history_caught_up_live(run):
    async def body(c):
        stream = stream_name()
        history = events(3)
        await c.append(stream, history, StreamState.NO_STREAM)
        sub = await c.subscribe_to_stream(stream, include_caught_up=True)
        items = await collect_until(sub, caught_up)
        live = events(2, "Live")
        await c.append(stream, live[0], StreamState.ANY)
        await c.append(stream, live[1], StreamState.ANY)
        items += await collect_until(sub, lambda got: len(recorded(got)) >= 2)
        await sub.stop()
        before, marker, after = split_at_caught_up(items)
        assert [e.id for e in before] == [e.id for e in history]
        assert [e.id for e in after] == [e.id for e in live]
        assert [e.stream_position for e in before + after] == [0, 1, 2, 3, 4]
        assert marker.stream_position == 2, "CaughtUp carries the stream revision"

    run(body)


def test_subscribe_to_stream_from_a_position_starts_after_it(run):
    async def body(c):
        stream = stream_name()
        history = events(4)
        await c.append(stream, history, StreamState.NO_STREAM)
        sub = await c.subscribe_to_stream(stream, stream_position=1, include_caught_up=True)
        items = await collect_until(sub, caught_up)
        live = events(1, "Live")
        await c.append(stream, live, StreamState.ANY)
        items += await collect_until(sub, lambda got: len(recorded(got)) >= 1)
        await sub.stop()
        before, _, after = split_at_caught_up(items)
        assert [e.id for e in before] == [e.id for e in history[2:]]
        assert [e.id for e in after] == [e.id for e in live]

    run(body)


def test_subscribe_to_a_stream_that_does_not_exist_yet(run):
    async def body(c):
        stream = stream_name()
        sub = await c.subscribe_to_stream(stream, include_caught_up=True)
        items = await collect_until(sub, caught_up)
        live = events(2, "Live")
        await c.append(stream, live, StreamState.NO_STREAM)
        items += await collect_until(sub, lambda got: len(recorded(got)) >= 2)
        await sub.stop()
        before, _, after = split_at_caught_up(items)
        assert before == []
        assert [e.id for e in after] == [e.id for e in live]

    run(body)


def test_subscribe_to_all_from_the_start_filtered_by_stream_prefix(run):
    async def body(c):
        prefix = f"pysuball-{uuid.uuid4()}"
        history = events(3)
        for i, e in enumerate(history):
            await c.append(f"{prefix}-{i}", e, StreamState.NO_STREAM)
        sub = await c.subscribe_to_all(filter_include=[prefix], filter_by_stream_name=True, filter_by_prefix=True,
                                       include_caught_up=True)
        items = await collect_until(sub, caught_up, timeout=30)
        live = events(2, "Live")
        await c.append(f"{prefix}-live", live, StreamState.NO_STREAM)
        items += await collect_until(sub, lambda got: len(recorded(got)) >= 2)
        await sub.stop()
        before, marker, after = split_at_caught_up(items)
        assert [e.id for e in before] == [e.id for e in history]
        assert [e.id for e in after] == [e.id for e in live]
        assert marker.commit_position >= before[-1].commit_position
        commits = [e.commit_position for e in before + after]
        assert commits == sorted(commits) and len(set(commits)) == len(commits)

    run(body)


def test_subscribe_to_all_from_a_position_starts_after_it(run):
    async def body(c):
        prefix = f"pysuballpos-{uuid.uuid4()}"
        history = events(3)
        commits = [await c.append(f"{prefix}-{i}", e, StreamState.NO_STREAM) for i, e in enumerate(history)]
        sub = await c.subscribe_to_all(commit_position=commits[0], filter_include=[prefix],
                                       filter_by_stream_name=True, filter_by_prefix=True, include_caught_up=True)
        items = await collect_until(sub, caught_up)
        live = events(1, "Live")
        await c.append(f"{prefix}-live", live, StreamState.NO_STREAM)
        items += await collect_until(sub, lambda got: len(recorded(got)) >= 1)
        await sub.stop()
        before, _, after = split_at_caught_up(items)
        assert [e.id for e in before] == [e.id for e in history[1:]]
        assert [e.id for e in after] == [e.id for e in live]

    run(body)


def test_subscribe_to_all_with_the_default_filter_from_a_position(run):
    async def body(c):
        stream = stream_name()
        start = await c.append(stream, events(1), StreamState.NO_STREAM)
        sub = await c.subscribe_to_all(commit_position=start)  # the client's default regex filter
        live = [NewEvent(type="Result", data=b"{}"), NewEvent(type="Kept", data=b"{}")]
        await c.append(stream, live, StreamState.ANY)
        items = await collect_until(sub, lambda got: any(e.stream_name == stream for e in recorded(got)))
        await sub.stop()
        ours = [e for e in recorded(items) if e.stream_name == stream]
        assert [e.type for e in ours] == ["Kept"]

    run(body)


def test_checkpoints_while_a_filter_skips_events(run):
    async def body(c):
        prefix = f"pycheckpointed-{uuid.uuid4()}"
        start = await c.append(f"{prefix}-start", events(1), StreamState.NO_STREAM)
        sub = await c.subscribe_to_all(commit_position=start, filter_include=[f"{prefix}-match"],
                                       filter_by_stream_name=True, filter_by_prefix=True,
                                       include_checkpoints=True, include_caught_up=True)
        items = await collect_until(sub, caught_up)
        last = None
        for _ in range(10):
            last = await c.append(f"{prefix}-skipped", events(20, "Skipped"), StreamState.ANY)
        items += await collect_until(
            sub, lambda got: any(isinstance(i, Checkpoint) and i.commit_position > start for i in got))
        match = await c.append(f"{prefix}-match", events(1, "Matched"), StreamState.NO_STREAM)
        items += await collect_until(sub, lambda got: len(recorded(got)) >= 1)
        await sub.stop()
        assert [e.stream_name for e in recorded(items)] == [f"{prefix}-match"]
        checkpoints = [i.commit_position for i in items if isinstance(i, Checkpoint)]
        assert checkpoints == sorted(checkpoints)
        assert all(start <= p <= match for p in checkpoints)
        assert any(start < p <= last for p in checkpoints)

    run(body)


def test_two_subscriptions_at_once_on_one_client(run):
    async def body(c):
        stream_a, stream_b = stream_name(), stream_name()
        sub_a = await c.subscribe_to_stream(stream_a, include_caught_up=True)
        sub_b = await c.subscribe_to_stream(stream_b, include_caught_up=True)
        await asyncio.gather(collect_until(sub_a, caught_up), collect_until(sub_b, caught_up))
        await c.append(stream_a, events(1, "A"), StreamState.NO_STREAM)
        await c.append(stream_b, events(1, "B"), StreamState.NO_STREAM)
        got_a, got_b = await asyncio.gather(collect_until(sub_a, lambda got: len(recorded(got)) >= 1),
                                            collect_until(sub_b, lambda got: len(recorded(got)) >= 1))
        await sub_a.stop()
        await sub_b.stop()
        assert [e.type for e in recorded(got_a)] == ["A"]
        assert [e.type for e in recorded(got_b)] == ["B"]

    run(body)
