"""Payloads and metadata byte for byte (binary, JSON, custom metadata), through get_stream and a
subscription; the same events read back through eventstore.v1 with the project's Python SDK."""
import base64
import datetime
import json
import os
import pathlib
import subprocess
import sys

from drivers import stream_name
from kurrentdbclient import NewEvent, RecordedEvent, StreamState

BINARY = bytes(range(256)) + os.urandom(4096)
BINARY_METADATA = b"\x00\xff\xfe{\"\x00\xc3(\n"
JSON = json.dumps({"text": "h\u00e9llo \u2713 \"quoted\"", "n": 1.5, "list": [1, "two", None]}).encode()
JSON_METADATA = b'{"$correlationId": "c-1", "$causationId": "c-0", "custom": ["x", 2]}'


def make_events():
    return [
        NewEvent(type="Binary", data=BINARY, metadata=BINARY_METADATA, content_type="application/octet-stream"),
        NewEvent(type="Json", data=JSON, metadata=JSON_METADATA),
        NewEvent(type="JsonNoMetadata", data=b"[]"),
        NewEvent(type="Empty", data=b"", content_type="application/octet-stream"),
    ]


def assert_same(read, sent, stream):
    assert len(read) == len(sent)
    now = datetime.datetime.now(datetime.timezone.utc)
    for position, (r, s) in enumerate(zip(read, sent)):
        assert (r.id, r.type, r.data, r.metadata, r.content_type) == (s.id, s.type, s.data, s.metadata, s.content_type)
        assert (r.stream_name, r.stream_position) == (stream, position)
        assert r.recorded_at is not None and abs(r.recorded_at - now) < datetime.timedelta(minutes=5)


def test_payloads_and_metadata_byte_for_byte_through_get_stream(run):
    async def body(c):
        stream = stream_name("pypayload")
        sent = make_events()
        await c.append(stream, sent, StreamState.NO_STREAM)
        assert_same(await c.get_stream(stream), sent, stream)

    run(body)


def test_payloads_and_metadata_byte_for_byte_through_a_subscription(run):
    async def body(c):
        stream = stream_name("pypayload")
        sent = make_events()
        for e in sent:  # one Append call each
            await c.append(stream, e, StreamState.ANY)
        sub = await c.subscribe_to_stream(stream)
        read = [await sub.next() for _ in sent]
        await sub.stop()
        assert all(isinstance(r, RecordedEvent) for r in read)
        assert_same(read, sent, stream)

    run(body)


def test_the_same_events_read_back_through_eventstore_v1(run):
    async def body(c):
        stream = stream_name("pyv1")
        sent = make_events()
        await c.append(stream, sent, StreamState.NO_STREAM)
        read = await c.get_stream(stream)
        out = subprocess.run([sys.executable, str(pathlib.Path(__file__).with_name("v1_read.py")), stream],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        v1 = [json.loads(line) for line in out.stdout.splitlines()]
        assert [e["event_id"] for e in v1] == [str(s.id) for s in sent]
        assert [e["type_name"] for e in v1] == [s.type for s in sent]
        assert [base64.b64decode(e["payload"]) for e in v1] == [s.data for s in sent]
        assert [e["stream_version"] for e in v1] == [r.stream_position + 1 for r in read], "version = revision + 1"
        assert [e["global_position"] for e in v1] == [r.commit_position for r in read], "global position = commit"
        assert v1[1]["content_type"] == "application/json"

    run(body)
