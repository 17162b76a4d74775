"""What the sync and the async client share: channel options, paging and subscription state."""
from __future__ import annotations

from collections import deque
from typing import Iterable, Sequence

import grpc

from ._stubs import pb
from .errors import EventStoreError, Unavailable, from_rpc_error
from .events import CaughtUp, Checkpoint, EventData, RecordedEvent
from .expected import ANY, ExpectedVersion

MAX_UINT32 = 2**32 - 1
DEFAULT_MAX_BATCH_EVENTS = 500
# The defaults of sdks/SPEC.md ("Defaults and why"), in seconds.
DEFAULT_TIMEOUT = 30.0
DEFAULT_KEEPALIVE_TIME = 360.0
DEFAULT_KEEPALIVE_TIMEOUT = 20.0
DIRECTIONS = ("forward", "backward")


def channel_options(
    max_receive_message_length: int,
    keepalive_time: float,
    keepalive_timeout: float,
    extra: Sequence[tuple[str, object]] | None,
):
    """gRPC channel options: the receive limit (unlimited by default: a page can exceed gRPC's
    4 MiB), keepalive pings while a call is open, and a lost server retried often enough for a
    subscription to resume (not grpc.min_reconnect_backoff_ms: gRPC core also takes it as the
    time a connection attempt may take, so a small one fails slow handshakes). `extra` wins."""
    options = {
        "grpc.max_receive_message_length": max_receive_message_length,
        "grpc.max_send_message_length": -1,
        "grpc.keepalive_time_ms": int(keepalive_time * 1000),
        "grpc.keepalive_timeout_ms": int(keepalive_timeout * 1000),
        "grpc.keepalive_permit_without_calls": 0,
        "grpc.initial_reconnect_backoff_ms": 100,
        "grpc.max_reconnect_backoff_ms": 1000,
    }
    options.update(dict(extra or ()))
    return list(options.items())


def channel_credentials(
    tls: bool, ca_cert: bytes | None, client_cert: bytes | None, client_key: bytes | None
) -> grpc.ChannelCredentials | None:
    """TLS credentials (None: plaintext): the CA's PEM (None: the system's roots), and the client's
    certificate chain and key for mutual TLS (both or neither)."""
    if (client_cert is None) != (client_key is None):
        raise ValueError("client_cert and client_key go together: give both (mutual TLS) or neither")
    if not (tls or ca_cert or client_cert):
        return None
    return grpc.ssl_channel_credentials(
        root_certificates=ca_cert, private_key=client_key, certificate_chain=client_cert
    )


def open_channel(grpc_module, target: str, credentials, options):
    """A channel of grpc or grpc.aio: secure with credentials, else plaintext."""
    if credentials is None:
        return grpc_module.insecure_channel(target, options=options)
    return grpc_module.secure_channel(target, credentials, options=options)


def call_metadata(token: str | None) -> tuple[tuple[str, str], ...]:
    """The metadata every call carries: the bearer token, if any."""
    return (("authorization", f"Bearer {token}"),) if token else ()


def append_request(stream_id: str, events, expected_version: ExpectedVersion | None) -> pb.AppendRequest:
    if isinstance(events, EventData):
        events = [events]
    events = list(events)
    for event in events:
        if not isinstance(event, EventData):
            raise TypeError(f"append takes EventData (see json_event, protobuf_event, bytes_event), not {type(event).__name__}")
    return pb.AppendRequest(
        stream_id=stream_id,
        expected_version=(expected_version or ANY).to_proto(),
        events=[event.to_proto() for event in events],
    )


class _Pager:
    """What both pagers share: pages of page_size events (0: the server's default), and at most
    `limit` events in all (None: no limit); a request asks for no more than are still wanted."""

    def __init__(self, page_size: int, limit: int | None):
        self.page_size = page_size
        self.remaining = limit
        self.done = limit is not None and limit <= 0

    def _max_count(self) -> int:
        if self.remaining is None:
            return min(self.page_size, MAX_UINT32)
        return min(self.remaining if self.page_size <= 0 else min(self.page_size, self.remaining), MAX_UINT32)

    def _take(self, page: Iterable[pb.RecordedEvent]) -> list[RecordedEvent]:
        """The page's events, cut at the limit (done when it is reached)."""
        events = [RecordedEvent.from_proto(e) for e in page]
        if self.remaining is not None:
            events = events[: self.remaining]
            self.remaining -= len(events)
            if self.remaining <= 0:
                self.done = True
        return events


class StreamPager(_Pager):
    """ReadStream paging. Forward: from next_from_version until end_of_stream. Backward: 0 means
    'from the last'; stops at end_of_stream (or next_from_version 0, which must never be sent back)."""

    def __init__(self, stream_id: str, from_version: int, direction: str, page_size: int, limit: int | None):
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be 'forward' or 'backward', not {direction!r}")
        super().__init__(page_size, limit)
        self.stream_id = stream_id
        self.from_version = from_version
        self.forward = direction == "forward"

    def request(self) -> pb.ReadStreamRequest:
        return pb.ReadStreamRequest(
            stream_id=self.stream_id,
            from_version=self.from_version,
            max_count=self._max_count(),
            forward=self.forward,
        )

    def accept(self, response: pb.ReadStreamResponse) -> list[RecordedEvent]:
        events = self._take(response.events)
        if response.end_of_stream or not response.events:
            self.done = True
        elif not self.forward and response.next_from_version == 0:
            self.done = True
        else:
            self.from_version = response.next_from_version
        return events


class AllPager(_Pager):
    """ReadAll paging: after last_scanned_position until reached_head (a filtered page may hold no
    event and still move forward)."""

    def __init__(self, after_position: int, stream_prefix: str, page_size: int, limit: int | None):
        super().__init__(page_size, limit)
        self.after = after_position
        self.stream_prefix = stream_prefix

    def request(self) -> pb.ReadAllRequest:
        return pb.ReadAllRequest(
            after_global_position=self.after,
            max_count=self._max_count(),
            stream_prefix=self.stream_prefix,
        )

    def accept(self, response: pb.ReadAllResponse) -> list[RecordedEvent]:
        events = self._take(response.events)
        if response.reached_head or response.last_scanned_position <= self.after:
            self.done = True
        self.after = max(self.after, response.last_scanned_position)
        return events


SubscriptionItem = RecordedEvent | Checkpoint | CaughtUp


def subscription_items(message: pb.SubscribeResponse) -> list[SubscriptionItem]:
    """What one message carries, in order: one event, a batch's events, a checkpoint or caught-up
    (nothing for a kind this client does not know)."""
    kind = message.WhichOneof("message")
    if kind == "event":
        return [RecordedEvent.from_proto(message.event)]
    if kind == "batch":
        return [RecordedEvent.from_proto(event) for event in message.batch.events]
    if kind == "checkpoint":
        return [Checkpoint(message.checkpoint.global_position)]
    if kind == "caught_up":
        return [CaughtUp(message.caught_up.global_position)]
    return []


class ResumePolicy:
    """When a subscription resumes after UNAVAILABLE: `attempts` consecutive tries at most (None:
    forever), waiting backoff, doubled each failed try up to max_backoff (seconds)."""

    def __init__(self, enabled: bool, attempts: int | None, backoff: float, max_backoff: float):
        self.enabled = enabled
        self.attempts = attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.failures = 0

    def next_delay(self) -> float | None:
        """The wait before the next try, or None when the subscription must give up."""
        if not self.enabled or (self.attempts is not None and self.failures >= self.attempts):
            return None
        delay = min(self.backoff * (2**self.failures), self.max_backoff)
        self.failures += 1
        return delay

    def delivered(self) -> None:
        self.failures = 0


class SubscriptionState:
    """What a subscription keeps and decides, sync or async: where it resumes, when it resumes
    and its counters. Subscription and AsyncSubscription do the calls and the waits. `cancelled`
    is their threading.Event or asyncio.Event; `metadata` goes with every Subscribe call (the token). A message's items wait in `_pending` and are handed
    over one at a time: `position` moves only when the user gets an item, so a resume starts after
    the last item handed over, and a cancel drops what is left of a batch."""

    def __init__(
        self, stub, after_position: int, stream_prefix: str, max_batch_events: int, policy: ResumePolicy, cancelled, metadata=()
    ):
        if not 0 <= max_batch_events <= MAX_UINT32:
            raise ValueError(f"max_batch_events must be 0 (one event per message) to {MAX_UINT32}, not {max_batch_events}")
        self._stub = stub
        self._metadata = metadata
        self.position = after_position
        self.stream_prefix = stream_prefix
        self.max_batch_events = max_batch_events
        self._pending: deque[SubscriptionItem] = deque()
        self._policy = policy
        self._call = None
        self._cancelled = cancelled
        self.resumes = 0
        self.last_error: EventStoreError | None = None

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def _open_call(self):
        """A new Subscribe call from the current position."""
        return self._stub.Subscribe(self._request(), metadata=self._metadata)

    def _request(self) -> pb.SubscribeRequest:
        return pb.SubscribeRequest(
            after_global_position=self.position,
            stream_prefix=self.stream_prefix,
            max_batch_events=self.max_batch_events,
        )

    def _resume_delay(self, rpc_error: grpc.RpcError) -> float:
        """The wait before subscribing again after rpc_error; raises it as an EventStoreError when
        the subscription ends instead (not UNAVAILABLE, or the policy gives up)."""
        error = from_rpc_error(rpc_error)
        if not isinstance(error, Unavailable):
            raise error from rpc_error
        self.last_error = error
        delay = self._policy.next_delay()
        if delay is None:
            raise error from rpc_error
        return delay

    def _receive(self, message: pb.SubscribeResponse) -> None:
        """Queues what the message carries, to be handed over by _hand_over."""
        self._pending.extend(subscription_items(message))

    def _hand_over(self) -> SubscriptionItem | None:
        """The next received item for the user (None: nothing is waiting, or cancelled: what is
        left is dropped), past which a resume starts."""
        if self._cancelled.is_set():
            self._pending.clear()
        if not self._pending:
            return None
        item = self._pending.popleft()
        self._policy.delivered()
        self.position = max(self.position, item.global_position)
        return item


__all__: Iterable[str] = []
