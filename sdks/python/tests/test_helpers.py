"""The helpers, without a server: JSON and Protobuf payloads, UUID v7, correlation, versions."""
import json
import pathlib
import time
import uuid

import pytest

from eventstore_client import (
    ANY,
    NO_STREAM,
    STREAM_EXISTS,
    EventData,
    ExpectedVersion,
    RecordedEvent,
    bytes_event,
    decode_json,
    decode_protobuf,
    exact,
    is_uuid7,
    json_bytes,
    json_event,
    pb,
    protobuf_event,
    uuid7,
)

VECTORS = pathlib.Path(__file__).resolve().parents[2] / "interop" / "vectors.json"


def recorded(data: EventData, **overrides) -> RecordedEvent:
    fields = dict(
        stream_id="s", stream_version=1, global_position=1, event_id=data.event_id,
        type_name=data.type_name, content_type=data.content_type, tenant_id=data.tenant_id,
        correlation_id=data.correlation_id, causation_id=data.causation_id,
        headers=dict(data.headers), payload=data.payload, recorded_at=None,
    )
    fields.update(overrides)
    return RecordedEvent(**fields)


def test_json_helper_matches_every_interop_vector():
    vectors = json.loads(VECTORS.read_text(encoding="utf-8"))["events"]
    json_vectors = [v for v in vectors if v["kind"] == "json"]
    assert json_vectors
    for vector in json_vectors:
        event = json_event(vector["type_name"], vector["json"])
        assert event.payload == vector["payload_json"].encode("utf-8")
        assert event.content_type == "application/json"
        assert decode_json(event) == vector["json"]


def test_json_is_compact_in_insertion_order_unescaped_with_lowercase_control_escapes():
    value = {"z": 1, "a": [True, None, "é😀"], "c": "\x00\x1f\n\t\"\\"}
    assert json_bytes(value) == '{"z":1,"a":[true,null,"é😀"],"c":"\\u0000\\u001f\\n\\t\\"\\\\"}'.encode()
    with pytest.raises(ValueError):
        json_bytes(float("nan"))


def test_protobuf_helper_matches_the_interop_vector_and_decodes():
    vector = next(v for v in json.loads(VECTORS.read_text())["events"] if v["kind"] == "proto")
    event = protobuf_event(pb.Checkpoint(global_position=vector["global_position"]))
    assert event.type_name == "eventstore.v1.Checkpoint" == vector["type_name"]
    assert event.content_type == "application/x-protobuf"
    assert event.payload == bytes.fromhex(vector["payload_hex"])
    assert decode_protobuf(recorded(event), pb.Checkpoint).global_position == vector["global_position"]
    with pytest.raises(ValueError, match="type_name"):
        decode_protobuf(recorded(event), pb.CaughtUp)
    with pytest.raises(ValueError, match="content_type"):
        decode_json(recorded(event))
    untyped = bytes_event(event.type_name, event.payload, content_type="")
    assert decode_protobuf(recorded(untyped), pb.Checkpoint).global_position == vector["global_position"]


def test_decode_json_takes_application_json_or_an_empty_content_type_and_refuses_others():
    assert decode_json(recorded(bytes_event("T", b'{"a":1}', content_type=""))) == {"a": 1}
    assert decode_json(recorded(bytes_event("T", b"[1]", content_type="application/json"))) == [1]
    with pytest.raises(ValueError, match="content_type"):
        decode_json(recorded(bytes_event("T", b"{}", content_type="text/plain")))


def test_new_events_get_distinct_increasing_uuid_v7_ids():
    before_ms = time.time_ns() // 1_000_000
    ids = [json_event("T", {}).event_id for _ in range(2000)]
    after_ms = time.time_ns() // 1_000_000
    assert len(set(ids)) == len(ids)
    assert all(is_uuid7(i) and i == i.lower() for i in ids)
    assert [uuid.UUID(i).bytes for i in ids] == sorted(uuid.UUID(i).bytes for i in ids)
    first_ms = uuid.UUID(ids[0]).int >> 80
    assert before_ms <= first_ms <= after_ms + 1
    assert uuid7().version == 7
    assert not is_uuid7(str(uuid.uuid4()))
    assert not is_uuid7("not a uuid")


def test_caused_by_takes_correlation_from_the_handled_event_or_its_id():
    handled = recorded(json_event("A", {}, correlation_id="corr-1"))
    follow = json_event("B", {}, caused_by=handled)
    assert (follow.correlation_id, follow.causation_id) == ("corr-1", handled.event_id)
    first = recorded(json_event("A", {}))  # no correlation id: a conversation starts here
    follow = bytes_event("B", b"").caused_by(first)
    assert (follow.correlation_id, follow.causation_id) == (first.event_id, first.event_id)


def test_expected_version_helpers_translate_to_the_proto_oneof():
    assert ANY.to_proto().WhichOneof("kind") == "any"
    assert NO_STREAM.to_proto().WhichOneof("kind") == "no_stream"
    assert STREAM_EXISTS.to_proto().WhichOneof("kind") == "stream_exists"
    assert exact(0).to_proto().WhichOneof("kind") == "exact"
    assert exact(7).to_proto().exact == 7
    assert ExpectedVersion.exact(3) == exact(3)
    assert ExpectedVersion.from_proto(pb.ExpectedVersion()) == ANY
    assert ExpectedVersion.from_proto(exact(5).to_proto()) == exact(5)
    with pytest.raises(ValueError):
        exact(-1)
