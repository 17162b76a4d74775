"""What a subscription hands its user for each kind of server message (event, batch, checkpoint,
caught_up), without a server: Subscription and AsyncSubscription take the stub, so these tests
give them one that plays scripted calls, and look at each request it was sent."""
import asyncio

import grpc
import grpc.aio
import pytest

from eventstore_client import CaughtUp, Checkpoint, RecordedEvent, pb
from eventstore_client._common import ResumePolicy
from eventstore_client.aio import AsyncSubscription
from eventstore_client.client import Subscription


def recorded(position):
    return pb.RecordedEvent(stream_id="s", stream_version=position, global_position=position)


def event(position):
    return pb.SubscribeResponse(event=recorded(position))


def batch(*positions):
    return pb.SubscribeResponse(batch=pb.EventBatch(events=[recorded(p) for p in positions]))


def checkpoint(position):
    return pb.SubscribeResponse(checkpoint=pb.Checkpoint(global_position=position))


def caught_up(position):
    return pb.SubscribeResponse(caught_up=pb.CaughtUp(global_position=position))


class Unavailable(grpc.RpcError):
    def code(self):
        return grpc.StatusCode.UNAVAILABLE

    def details(self):
        return "shutting down"

    def trailing_metadata(self):
        return None


class ScriptedCall:
    """One Subscribe call: its messages, then its end (an exception to raise, or the stream's end)."""

    def __init__(self, script):
        self._script = list(script)
        self.cancelled = False

    def __next__(self):
        if not self._script:
            raise StopIteration
        step = self._script.pop(0)
        if isinstance(step, BaseException):
            raise step
        return step

    def cancel(self):
        self.cancelled = True


class ScriptedStub:
    """Answers each Subscribe with the next script, and keeps the requests."""

    def __init__(self, *scripts):
        self._scripts = list(scripts)
        self.requests = []

    def Subscribe(self, request, metadata=()):  # noqa: N802 - the gRPC method's name
        self.requests.append(request)
        return ScriptedCall(self._scripts.pop(0))


def subscription(stub, after=0, max_batch_events=500, resume=False):
    return Subscription(stub, after, "s", max_batch_events, ResumePolicy(resume, 3, 0.0, 0.0))


def seen(item):
    if isinstance(item, RecordedEvent):
        return ("event", item.global_position)
    if isinstance(item, Checkpoint):
        return ("checkpoint", item.global_position)
    assert isinstance(item, CaughtUp)
    return ("caught_up", item.global_position)


def test_a_batch_is_handed_over_one_event_at_a_time_and_the_position_follows_the_user():
    stub = ScriptedStub([batch(1, 2, 3)])
    sub = subscription(stub)
    handed = []
    for item in sub:
        handed.append((seen(item), sub.position))
    assert handed == [(("event", 1), 1), (("event", 2), 2), (("event", 3), 3)]
    assert stub.requests[0].max_batch_events == 500


def test_events_batches_checkpoints_and_caught_up_keep_their_order():
    stub = ScriptedStub([event(1), batch(2, 3), checkpoint(5), batch(6), caught_up(6), event(7), batch(8, 9)])
    assert [seen(item) for item in subscription(stub)] == [
        ("event", 1), ("event", 2), ("event", 3), ("checkpoint", 5),
        ("event", 6), ("caught_up", 6), ("event", 7), ("event", 8), ("event", 9),
    ]


def test_cancel_mid_batch_hands_over_nothing_more_and_resumes_after_the_last_event_handed_over():
    stub = ScriptedStub([batch(4, 5, 6), event(7)])
    sub = subscription(stub, after=3)
    assert seen(next(sub)) == ("event", 4)
    sub.cancel()
    assert list(sub) == []
    assert sub.position == 4
    assert stub.requests[0].after_global_position == 3


def test_after_unavailable_it_resumes_after_the_last_event_handed_over():
    stub = ScriptedStub([batch(1, 2), batch(3, 4), Unavailable()], [caught_up(4), batch(5)])
    sub = subscription(stub, resume=True)
    assert [seen(next(sub)) for _ in range(4)] == [("event", 1), ("event", 2), ("event", 3), ("event", 4)]
    assert len(stub.requests) == 1, "the second batch was handed over before the call was read again"
    assert [seen(item) for item in sub] == [("caught_up", 4), ("event", 5)]
    assert [r.after_global_position for r in stub.requests] == [0, 4]
    assert [r.max_batch_events for r in stub.requests] == [500, 500]
    assert sub.resumes == 1


def test_zero_asks_for_one_event_per_message_and_out_of_range_is_refused():
    stub = ScriptedStub([event(1)])
    assert [seen(item) for item in subscription(stub, max_batch_events=0)] == [("event", 1)]
    assert stub.requests[0].max_batch_events == 0
    with pytest.raises(ValueError, match="max_batch_events"):
        subscription(ScriptedStub(), max_batch_events=-1)


class ScriptedAsyncCall:
    def __init__(self, script):
        self._script = list(script)

    async def read(self):
        if not self._script:
            return grpc.aio.EOF
        step = self._script.pop(0)
        if isinstance(step, BaseException):
            raise step
        return step

    def cancel(self):
        pass


class ScriptedAsyncStub(ScriptedStub):
    def Subscribe(self, request, metadata=()):  # noqa: N802
        self.requests.append(request)
        return ScriptedAsyncCall(self._scripts.pop(0))


def test_async_batches_mixed_with_the_other_kinds_and_a_resume_after_unavailable():
    unavailable = grpc.aio.AioRpcError(grpc.StatusCode.UNAVAILABLE, grpc.aio.Metadata(), grpc.aio.Metadata(), "shutting down")
    stub = ScriptedAsyncStub([batch(1, 2), checkpoint(4), unavailable], [caught_up(4), event(5), batch(6, 7)])

    async def scenario():
        sub = AsyncSubscription(stub, 0, "s", 500, ResumePolicy(True, 3, 0.0, 0.0))
        first = await sub.__anext__()
        position_after_first = sub.position
        rest = [seen(item) async for item in sub]
        return [seen(first)] + rest, position_after_first, sub.position

    handed, position_after_first, last = asyncio.run(asyncio.wait_for(scenario(), 30))
    assert handed == [("event", 1), ("event", 2), ("checkpoint", 4), ("caught_up", 4), ("event", 5), ("event", 6), ("event", 7)]
    assert (position_after_first, last) == (1, 7)
    assert [r.after_global_position for r in stub.requests] == [0, 4]
