"""Subscriptions against a real eventstored: catch-up, caught_up once, live, checkpoints, and what
happens when the server goes away (Unavailable, and resume)."""
import threading
import time
import uuid

import pytest

from eventstore_client import (
    NO_STREAM,
    CaughtUp,
    Checkpoint,
    EventStoreClient,
    RecordedEvent,
    Unavailable,
    exact,
    json_event,
)
from eventstore_server import EventStoreServer


FRESH_CONNECTION = [("grpc.use_local_subchannel_pool", 1)]


def evs(n, start=1):
    return [json_event(f"E{i}", {"i": i}) for i in range(start, start + n)]


def next_event(subscription):
    for item in subscription:
        if isinstance(item, RecordedEvent):
            return item
    raise AssertionError("subscription ended")


def test_catch_up_then_caught_up_once_then_live_with_no_gap_or_duplicate(client):
    prefix = f"sub-{uuid.uuid4().hex[:8]}-"
    client.append(prefix + "a", evs(3), NO_STREAM)
    client.append(prefix + "b", evs(2), NO_STREAM)
    client.append(f"other-{uuid.uuid4().hex}", evs(1))
    history, caught_up, live = [], [], []
    with client.subscribe(0, prefix) as subscription:
        for item in subscription:
            if isinstance(item, CaughtUp):
                caught_up.append(item)
                break
            if isinstance(item, RecordedEvent):
                history.append(item)
        client.append(prefix + "a", evs(2, start=4), exact(3))
        client.append(f"other-{uuid.uuid4().hex}", evs(1))
        client.append(prefix + "c", evs(1), NO_STREAM)
        for item in subscription:
            assert not isinstance(item, CaughtUp), "caught_up is sent once"
            if isinstance(item, RecordedEvent):
                live.append(item)
                if len(live) == 3:
                    break
    assert [(e.stream_id[-1], e.stream_version) for e in history] == [("a", 1), ("a", 2), ("a", 3), ("b", 1), ("b", 2)]
    assert [(e.stream_id[-1], e.stream_version) for e in live] == [("a", 4), ("a", 5), ("c", 1)]
    positions = [e.global_position for e in history + live]
    assert positions == sorted(set(positions))
    assert caught_up[0].global_position >= history[-1].global_position
    assert subscription.position == live[-1].global_position


def test_subscribing_after_a_position_starts_after_it(client):
    prefix = f"after-{uuid.uuid4().hex[:8]}-"
    written = client.append(prefix + "s", evs(4), NO_STREAM)
    with client.subscribe(written.first_global_position + 1, prefix) as subscription:
        got = [next_event(subscription).stream_version for _ in range(2)]
    assert got == [3, 4]


def test_checkpoints_report_progress_while_the_filter_skips_events():
    with EventStoreServer(extra_config="subscriptions:\n  checkpoint_interval: 5\n  batch_size: 5\n") as server, \
            EventStoreClient(server.target, timeout=10) as client:
        for i in range(30):
            client.append(f"skipped-{i}", evs(1))
        client.append("wanted", evs(1), NO_STREAM)
        items = []
        with client.subscribe(0, "wanted") as subscription:
            for item in subscription:
                items.append(item)
                if isinstance(item, CaughtUp):
                    break
    checkpoints = [i for i in items if isinstance(i, Checkpoint)]
    assert len(checkpoints) >= 5
    positions = [i.global_position for i in items]
    assert positions == sorted(positions)
    assert all(b - a <= 5 for a, b in zip([0] + positions, positions))
    assert [i.global_position for i in items if isinstance(i, RecordedEvent)] == [31]


def test_server_shutdown_ends_a_subscription_with_unavailable_when_resume_is_off():
    with EventStoreServer() as server, EventStoreClient(server.target, timeout=10) as client:
        client.append("s", evs(2), NO_STREAM)
        subscription = client.subscribe()
        items = [next(subscription) for _ in range(3)]
        assert isinstance(items[-1], CaughtUp)
        assert server.stop() == 0
        with pytest.raises(Unavailable, match="shutting down; resume after global position 2"):
            next(subscription)
        assert subscription.position == 2


def test_with_resume_on_the_subscription_resumes_after_the_last_delivered_position():
    """The memory backend keeps nothing across a restart, so the test restarts eventstored on the
    same port and appends the same history again (same ids, same positions), as a durable store
    would still hold it, then appends new events. The subscription must go through UNAVAILABLE and
    refused connections by itself, resume after the last position it delivered (3), and deliver
    only the new events: none of the history twice."""
    with EventStoreServer() as server, EventStoreClient(server.target, timeout=10) as client:
        history = evs(3)
        client.append("order-1", history, NO_STREAM)
        subscription = client.subscribe(0, "order-", resume=True, resume_backoff=0.05, max_resume_backoff=0.5)
        first = [next_event(subscription) for _ in range(3)]
        assert [e.global_position for e in first] == [1, 2, 3]
        fresh = evs(2, start=4)

        failures = []

        def restart_and_refill():
            try:
                server.stop()
                time.sleep(0.5)  # the subscription meets refused connections meanwhile
                server.start()
                # its own subchannel: gRPC's shared one may still be backing off from the refusals
                with EventStoreClient(server.target, timeout=10, options=FRESH_CONNECTION) as writer:
                    writer.append("order-1", history, NO_STREAM)
                    writer.append("order-1", fresh, exact(3))
            except Exception as error:  # noqa: BLE001 - reported by the test below
                failures.append(error)
                subscription.cancel()

        restarter = threading.Thread(target=restart_and_refill)
        watchdog = threading.Timer(30, subscription.cancel)
        restarter.start()
        watchdog.start()
        try:
            after = [next_event(subscription) for _ in range(2)]
        finally:
            watchdog.cancel()
            restarter.join()
            subscription.cancel()
        assert not failures
        assert [(e.stream_version, e.event_id) for e in after] == [(4, fresh[0].event_id), (5, fresh[1].event_id)]
        assert subscription.resumes >= 1
        assert isinstance(subscription.last_error, Unavailable)
        assert subscription.position == 5


def test_resume_gives_up_after_max_attempts_with_unavailable():
    server = EventStoreServer().start()
    try:
        with EventStoreClient(server.target, timeout=10) as client:
            subscription = client.subscribe(resume=True, max_resume_attempts=3, resume_backoff=0.05)
            assert isinstance(next(subscription), CaughtUp)
            server.stop()
            started = time.monotonic()
            with pytest.raises(Unavailable):
                next(subscription)
            assert subscription.resumes == 3
            assert time.monotonic() - started < 10
    finally:
        server.close()


def test_cancel_from_another_thread_ends_the_iteration(client):
    subscription = client.subscribe(0, f"nothing-{uuid.uuid4().hex}")
    assert isinstance(next(subscription), CaughtUp)
    threading.Timer(0.2, subscription.cancel).start()
    assert all(isinstance(item, Checkpoint) for item in subscription)
    assert subscription.cancelled


def test_a_batched_and_a_one_event_per_message_subscription_see_the_same_items(client):
    """The SDK asks for batches by default; whether the server sends them or not, the user gets the
    same items in the same order as with max_batch_events=0."""
    prefix = f"batch-{uuid.uuid4().hex[:8]}-"
    client.append(prefix + "a", evs(7), NO_STREAM)
    client.append(prefix + "b", evs(5), NO_STREAM)

    def until_caught_up(max_batch_events):
        items = []
        with client.subscribe(0, prefix, max_batch_events=max_batch_events) as subscription:
            for item in subscription:
                if isinstance(item, Checkpoint):
                    continue
                items.append((type(item).__name__, item.global_position))
                if isinstance(item, CaughtUp):
                    return items, subscription.position

    batched, single = until_caught_up(3), until_caught_up(0)
    assert batched == single
    assert [kind for kind, _ in batched[0]] == ["RecordedEvent"] * 12 + ["CaughtUp"]
