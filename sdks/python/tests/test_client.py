"""The sync client against a real eventstored: append modes, typed errors, paging, read_all."""
import datetime
import socket
import uuid

import pytest

from eventstore_client import (
    ANY,
    NO_STREAM,
    STREAM_EXISTS,
    AlreadyExists,
    DeadlineExceeded,
    EventStoreClient,
    EventStoreError,
    InvalidArgument,
    NotFound,
    ResourceExhausted,
    WrongExpectedVersion,
    bytes_event,
    exact,
    json_event,
    is_uuid7,
)


def events(n, prefix="E"):
    return [json_event(f"{prefix}{i}", {"i": i}) for i in range(1, n + 1)]


def test_no_stream_succeeds_once_then_fails_with_the_actual_version(client, stream_id):
    result = client.append(stream_id, events(2), NO_STREAM)
    assert result.current_version == 2
    assert result.last_global_position - result.first_global_position == 1
    with pytest.raises(WrongExpectedVersion) as caught:
        client.append(stream_id, events(1), NO_STREAM)
    error = caught.value
    assert (error.stream_id, error.expected, error.actual_version) == (stream_id, NO_STREAM, 2)
    assert isinstance(error, EventStoreError) and "wrong expected version" in error.message


def test_exact_zero_means_no_stream(client, stream_id):
    assert client.append(stream_id, events(1), exact(0)).current_version == 1
    with pytest.raises(WrongExpectedVersion) as caught:
        client.append(stream_id, events(1), exact(0))
    assert caught.value.actual_version == 1 and caught.value.expected == exact(0)


def test_stream_exists_fails_on_no_stream_with_actual_zero_then_succeeds(client, stream_id):
    with pytest.raises(WrongExpectedVersion) as caught:
        client.append(stream_id, events(1), STREAM_EXISTS)
    assert (caught.value.expected, caught.value.actual_version) == (STREAM_EXISTS, 0)
    client.append(stream_id, events(1), ANY)
    assert client.append(stream_id, events(1), STREAM_EXISTS).current_version == 2


def test_exact_n_succeeds_at_n_and_reports_the_actual_version_otherwise(client, stream_id):
    client.append(stream_id, events(3), NO_STREAM)
    with pytest.raises(WrongExpectedVersion) as caught:
        client.append(stream_id, events(1), exact(2))
    assert (caught.value.stream_id, caught.value.expected, caught.value.actual_version) == (stream_id, exact(2), 3)
    assert len(list(client.read_stream(stream_id))) == 3  # nothing written
    assert client.append(stream_id, events(1), exact(3)).current_version == 4


def test_any_appends_whatever_the_version(client, stream_id):
    assert client.append(stream_id, events(1), ANY).current_version == 1
    assert client.append(stream_id, events(2)).current_version == 3


def test_retrying_the_same_events_is_idempotent(client, stream_id):
    batch = events(2)
    first = client.append(stream_id, batch, NO_STREAM)
    again = client.append(stream_id, batch, NO_STREAM)
    assert again == first
    assert [e.event_id for e in client.read_stream(stream_id)] == [e.event_id for e in batch]


def test_reusing_an_id_in_another_stream_is_already_exists(client, stream_id):
    batch = events(1)
    client.append(stream_id, batch)
    with pytest.raises(AlreadyExists):
        client.append(stream_id + "-other", batch)


def test_reading_a_missing_stream_is_not_found(client, stream_id):
    with pytest.raises(NotFound):
        list(client.read_stream(stream_id))
    with pytest.raises(NotFound):
        list(client.read_stream(stream_id, direction="backward"))


def test_bad_input_is_invalid_argument_naming_the_field(client, stream_id):
    with pytest.raises(InvalidArgument, match="stream_id"):
        client.append("", events(1))
    with pytest.raises(InvalidArgument, match="events"):
        client.append(stream_id, [])
    with pytest.raises(InvalidArgument, match="type_name"):
        client.append(stream_id, [bytes_event("", b"x")])
    with pytest.raises(InvalidArgument, match="event_id"):
        client.append(stream_id, [bytes_event("T", b"x", event_id="not-a-uuid")])
    with pytest.raises(InvalidArgument, match="stream_id"):
        list(client.read_stream(""))


def test_forward_paging_yields_every_version_once_in_order(client, stream_id):
    client.append(stream_id, events(10), NO_STREAM)
    read = list(client.read_stream(stream_id, page_size=3))
    assert [e.stream_version for e in read] == list(range(1, 11))
    assert [e.type_name for e in read] == [f"E{i}" for i in range(1, 11)]
    assert [e.stream_version for e in client.read_stream(stream_id, from_version=4, page_size=3)] == list(range(4, 11))
    assert [e.stream_version for e in client.read_stream(stream_id, page_size=3, limit=5)] == [1, 2, 3, 4, 5]
    assert list(client.read_stream(stream_id, from_version=11)) == []


def test_backward_paging_goes_from_the_last_down_to_one(client, stream_id):
    client.append(stream_id, events(10), NO_STREAM)
    assert [e.stream_version for e in client.read_stream(stream_id, direction="backward", page_size=3)] == list(range(10, 0, -1))
    assert [e.stream_version for e in client.read_stream(stream_id, direction="backward", from_version=5, page_size=2)] == [5, 4, 3, 2, 1]
    assert [e.stream_version for e in client.read_stream(stream_id, direction="backward", limit=4)] == [10, 9, 8, 7]
    # a page size that divides the stream exactly: the last page ends at version 1 with no extra call
    assert [e.stream_version for e in client.read_stream(stream_id, direction="backward", page_size=5)] == list(range(10, 0, -1))


def test_a_deadline_ends_a_call_to_a_server_that_does_not_answer(stream_id):
    # A listening socket that never speaks HTTP/2: every call waits until its deadline.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        target = f"127.0.0.1:{silent.getsockname()[1]}"
        with EventStoreClient(target, timeout=None) as client:
            with pytest.raises(DeadlineExceeded):
                client.append(stream_id, events(1), timeout=0.2)
            with pytest.raises(DeadlineExceeded):
                list(client.read_all(timeout=0.2))
        with EventStoreClient(target, timeout=0.2) as client:
            with pytest.raises(DeadlineExceeded):
                list(client.read_stream(stream_id))


def test_an_unknown_direction_is_refused(client, stream_id):
    with pytest.raises(ValueError, match="direction"):
        list(client.read_stream(stream_id, direction="sideways"))


def test_read_all_with_a_prefix_pages_over_only_those_streams_in_global_order(client):
    prefix = f"ra-{uuid.uuid4().hex[:8]}-"
    written = []
    for i in range(7):
        for name in ("a", "b"):
            client.append(prefix + name, events(1, prefix=f"{name}{i}-"))
            written.append(f"{name}{i}-1")
        client.append(f"other-{uuid.uuid4().hex}", events(1))  # interleaved, filtered out
    read = list(client.read_all(stream_prefix=prefix, page_size=4))
    assert [e.type_name for e in read] == written
    positions = [e.global_position for e in read]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    assert all(e.stream_id.startswith(prefix) for e in read)
    after = read[5].global_position
    assert [e.global_position for e in client.read_all(after, stream_prefix=prefix)] == positions[6:]
    assert [e.global_position for e in client.read_all(stream_prefix=prefix, limit=3)] == positions[:3]
    assert list(client.read_all(stream_prefix=prefix + "nothing-matches")) == []


def test_every_metadata_field_and_awkward_payloads_round_trip_byte_for_byte(client, stream_id):
    headers = {"": "empty key", "empty value": "", "ключ": "значение", "emoji 😀": "✓", "nul": "a"}
    written = [
        bytes_event("Zeros", b"\x00\x00\xff\x00binary\x00", content_type="application/octet-stream",
                    tenant_id="tenant ✓", correlation_id="corr-😀", causation_id="", headers=headers),
        bytes_event("Empty", b"", content_type="", headers={}),
        bytes_event("Big", bytes(range(256)) * 800),
        json_event("Unicode", {"ключ": "значение", "z": "\u0000"}, tenant_id="t", causation_id="c"),
    ]
    client.append(stream_id, written, NO_STREAM)
    before = datetime.datetime.now(datetime.timezone.utc)
    for read_back in (list(client.read_stream(stream_id)), [e for e in client.read_all(stream_prefix=stream_id)]):
        assert len(read_back) == len(written)
        for sent, got in zip(written, read_back):
            assert got.stream_id == stream_id
            assert got.event_id == sent.event_id and is_uuid7(got.event_id)
            assert (got.type_name, got.content_type, got.tenant_id) == (sent.type_name, sent.content_type, sent.tenant_id)
            assert (got.correlation_id, got.causation_id) == (sent.correlation_id, sent.causation_id)
            assert got.headers == dict(sent.headers)
            assert got.payload == sent.payload
            assert got.recorded_at is not None and got.recorded_at <= before + datetime.timedelta(seconds=5)


def test_append_takes_only_event_data(client, stream_id):
    with pytest.raises(TypeError):
        client.append(stream_id, [{"type_name": "T"}])


def test_pages_larger_than_grpcs_default_4_mib_are_received(client, server, stream_id):
    megabyte = bytes(range(256)) * 4096
    for i in range(5):
        client.append(stream_id, [bytes_event(f"Big{i}", megabyte)])
    read = list(client.read_stream(stream_id))  # the first page holds more than 4 MiB
    assert [e.payload == megabyte for e in read] == [True] * 5
    assert len(list(client.read_all(stream_prefix=stream_id))) == 5
    with EventStoreClient(server.target, timeout=10, max_receive_message_length=4 * 1024 * 1024) as small:
        with pytest.raises(ResourceExhausted):  # what gRPC's default limit would do
            list(small.read_stream(stream_id))
