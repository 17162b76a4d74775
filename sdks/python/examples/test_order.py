"""Given/When/Then tests of the Order example against a real eventstored."""
import uuid

import pytest

from eventstore_client import NO_STREAM, WrongExpectedVersion, exact, json_event
from order import Order, OrderError, handle, load


@pytest.fixture()
def order_id():
    return uuid.uuid4().hex


def given(client, order_id, *events):
    """Given: these events are the order's history."""
    if events:
        client.append(f"Order-{order_id}", [json_event(t, d) for t, d in events], NO_STREAM)


def test_given_no_history_when_placed_then_order_placed_at_version_1(client, order_id):
    order = handle(client, order_id, Order.place)
    assert order.placed and order.version == 1
    assert [e.type_name for e in client.read_stream(order.stream_id)] == ["OrderPlaced"]


def test_given_a_placed_order_when_a_line_is_added_then_line_added_at_exact_version(client, order_id):
    given(client, order_id, ("OrderPlaced", {"order_id": order_id}))
    order = handle(client, order_id, lambda o: o.add_line("sku-1", 2))
    assert order.lines == {"sku-1": 2} and order.version == 2


def test_given_a_submitted_order_when_a_line_is_added_then_refused_and_nothing_written(client, order_id):
    given(client, order_id, ("OrderPlaced", {}), ("LineAdded", {"sku": "a", "qty": 1}), ("OrderSubmitted", {}))
    with pytest.raises(OrderError):
        handle(client, order_id, lambda o: o.add_line("b", 1))
    assert load(client, order_id).version == 3


def test_given_a_concurrent_writer_wins_when_handling_then_reload_and_retry(client, order_id):
    given(client, order_id, ("OrderPlaced", {}), ("LineAdded", {"sku": "a", "qty": 1}))
    attempts = []

    def add_line_racing_another_writer(order):
        attempts.append(order.version)
        if len(attempts) == 1:  # another writer appends between our load and our append
            client.append(order.stream_id, [json_event("LineAdded", {"sku": "b", "qty": 5})], exact(order.version))
        return order.add_line("c", 1)

    order = handle(client, order_id, add_line_racing_another_writer)
    assert attempts == [2, 3]  # the first append lost at exact(2), the retry reloaded version 3
    assert order.lines == {"a": 1, "b": 5, "c": 1} and order.version == 4


def test_given_a_concurrent_writer_wins_then_the_retry_applies_the_rules_to_the_new_state(client, order_id):
    given(client, order_id, ("OrderPlaced", {}), ("LineAdded", {"sku": "a", "qty": 1}), ("LineAdded", {"sku": "b", "qty": 1}))
    calls = []

    def add_third_line(order):
        calls.append(order.version)
        if len(calls) == 1:  # the other writer takes the last free line
            client.append(order.stream_id, [json_event("LineAdded", {"sku": "x", "qty": 1})], exact(order.version))
        return order.add_line("c", 1)

    with pytest.raises(OrderError, match="at most 3 lines"):
        handle(client, order_id, add_third_line)
    assert calls == [3, 4] and load(client, order_id).lines == {"a": 1, "b": 1, "x": 1}


def test_when_every_attempt_loses_then_wrong_expected_version_surfaces(client, order_id):
    given(client, order_id, ("OrderPlaced", {}))

    def always_lose(order):
        client.append(order.stream_id, [json_event("LineAdded", {"sku": uuid.uuid4().hex, "qty": 1})], exact(order.version))
        return order.add_line("z", 1)

    with pytest.raises(WrongExpectedVersion) as caught:
        handle(client, order_id, always_lose, max_attempts=2)
    assert caught.value.actual_version == caught.value.expected.version + 1
