"""The Python side of the cross-SDK test (sdks/interop/interop_test.sh), run by interop.sh.

    interop.py write  --target HOST:PORT --stream S --vectors FILE
    interop.py verify --target HOST:PORT --stream S --vectors FILE

write appends every vector with this SDK's helpers (json_event, protobuf_event on an
eventstore.v1.Checkpoint, bytes_event), with every metadata field and header, expecting no stream.
verify reads the stream and compares every event byte for byte with its vector; it prints each
difference and exits 1 if there is any.
"""
import argparse
import json
import sys

from eventstore_client import (
    NO_STREAM,
    EventStoreClient,
    EventStoreError,
    bytes_event,
    is_uuid7,
    json_event,
    pb,
    protobuf_event,
)


def event_for(vector):
    metadata = dict(
        tenant_id=vector["tenant_id"],
        correlation_id=vector["correlation_id"],
        causation_id=vector["causation_id"],
        headers=vector["headers"],
    )
    kind = vector["kind"]
    if kind == "json":
        return json_event(vector["type_name"], vector["json"], **metadata)
    if kind == "proto":
        return protobuf_event(pb.Checkpoint(global_position=vector["global_position"]), **metadata)
    if kind == "bytes":
        return bytes_event(vector["type_name"], bytes.fromhex(vector["payload_hex"]),
                           content_type=vector["content_type"], **metadata)
    raise ValueError(f"unknown vector kind {kind!r}")


def expected_payload(vector) -> bytes:
    if vector["kind"] == "json":
        return vector["payload_json"].encode("utf-8")
    return bytes.fromhex(vector["payload_hex"])


def write(client, stream, vectors) -> int:
    events = [event_for(v) for v in vectors]
    for vector, event in zip(vectors, events):
        if (event.type_name, event.content_type) != (vector["type_name"], vector["content_type"]):
            print(f"helper made {event.type_name!r}/{event.content_type!r} for vector "
                  f"{vector['type_name']!r}/{vector['content_type']!r}", file=sys.stderr)
            return 1
    result = client.append(stream, events, NO_STREAM)
    print(f"python wrote {len(events)} events to {stream} (version {result.current_version})")
    return 0


def verify(client, stream, vectors) -> int:
    differences = []
    read = list(client.read_stream(stream))
    if len(read) != len(vectors):
        differences.append(f"{len(read)} events in the stream, {len(vectors)} vectors")
    for index, (vector, event) in enumerate(zip(vectors, read)):
        where = f"{stream} v{event.stream_version} ({vector['kind']} {vector['type_name']})"
        if event.stream_version != index + 1:
            differences.append(f"{where}: stream_version {event.stream_version}, expected {index + 1}")
        if not is_uuid7(event.event_id):
            differences.append(f"{where}: event_id {event.event_id!r} is not a UUID v7")
        for field in ("type_name", "content_type", "tenant_id", "correlation_id", "causation_id"):
            got, want = getattr(event, field), vector[field]
            if got != want:
                differences.append(f"{where}: {field} {got!r}, expected {want!r}")
        if dict(event.headers) != vector["headers"]:
            differences.append(f"{where}: headers {dict(event.headers)!r}, expected {vector['headers']!r}")
        want = expected_payload(vector)
        if event.payload != want:
            differences.append(f"{where}: payload {event.payload.hex()}, expected {want.hex()}")
    for difference in differences:
        print(f"DIFF {difference}")
    if differences:
        print(f"python verify {stream}: {len(differences)} differences")
        return 1
    print(f"python verified {stream}: {len(read)} events identical")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="eventstore_client interop writer and verifier")
    parser.add_argument("mode", choices=["write", "verify"])
    parser.add_argument("--target", required=True)
    parser.add_argument("--stream", required=True)
    parser.add_argument("--vectors", required=True)
    args = parser.parse_args()
    with open(args.vectors, encoding="utf-8") as file:
        vectors = json.load(file)["events"]
    with EventStoreClient(args.target, timeout=30) as client:
        try:
            return (write if args.mode == "write" else verify)(client, args.stream, vectors)
        except EventStoreError as error:
            print(f"python {args.mode} {args.stream}: {type(error).__name__}: {error.message}", file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
