"""An Order aggregate on eventstore_client, written Given/When/Then:

given   its history, loaded with read_stream (a missing stream is a new order),
when    a command is handled (pure: state + command -> new events, or a refusal),
then    the new events are appended with exact(current_version); if a concurrent writer won
        (WrongExpectedVersion), the history is reloaded and the command handled again.
"""
from __future__ import annotations

import dataclasses

from eventstore_client import (
    EventStoreClient,
    NotFound,
    RecordedEvent,
    WrongExpectedVersion,
    exact,
    json_event,
)


class OrderError(Exception):
    """The command is refused by the order's rules."""


@dataclasses.dataclass
class Order:
    order_id: str
    version: int = 0  # the stream's version: what the next append expects
    placed: bool = False
    lines: dict[str, int] = dataclasses.field(default_factory=dict)
    submitted: bool = False

    @property
    def stream_id(self) -> str:
        return f"Order-{self.order_id}"

    def apply(self, event: RecordedEvent) -> None:
        data = event.json()
        if event.type_name == "OrderPlaced":
            self.placed = True
        elif event.type_name == "LineAdded":
            self.lines[data["sku"]] = self.lines.get(data["sku"], 0) + data["qty"]
        elif event.type_name == "OrderSubmitted":
            self.submitted = True
        self.version = event.stream_version

    # Commands: decide, never write.
    def place(self) -> list:
        if self.placed:
            raise OrderError("order already placed")
        return [json_event("OrderPlaced", {"order_id": self.order_id})]

    def add_line(self, sku: str, qty: int, max_lines: int = 3) -> list:
        if not self.placed or self.submitted:
            raise OrderError("lines can be added only to a placed, unsubmitted order")
        if sku not in self.lines and len(self.lines) >= max_lines:
            raise OrderError(f"an order holds at most {max_lines} lines")
        return [json_event("LineAdded", {"sku": sku, "qty": qty})]

    def submit(self) -> list:
        if not self.lines:
            raise OrderError("an empty order cannot be submitted")
        if self.submitted:
            return []  # already done: nothing to write
        return [json_event("OrderSubmitted", {"lines": len(self.lines)})]


def load(client: EventStoreClient, order_id: str) -> Order:
    """Given: the order rebuilt from its stream (empty if the stream does not exist)."""
    order = Order(order_id)
    try:
        for event in client.read_stream(order.stream_id):
            order.apply(event)
    except NotFound:
        pass
    return order


def handle(client: EventStoreClient, order_id: str, command, max_attempts: int = 5) -> Order:
    """When the command is handled, then its events are appended at exact(version). On
    WrongExpectedVersion another writer won: reload and decide again (the rules may now refuse)."""
    for attempt in range(1, max_attempts + 1):
        order = load(client, order_id)
        new_events = command(order)
        if not new_events:
            return order
        try:
            client.append(order.stream_id, new_events, exact(order.version))
        except WrongExpectedVersion:
            if attempt == max_attempts:
                raise
            continue
        return load(client, order_id)
    raise AssertionError("unreachable")
