#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets (tests/fuzz/corpus/<target>/seed-*), in the input
format of fuzz_input.hpp: operations of one kind byte, a two-byte little-endian length and a body.
service: bodies are protobuf requests, encoded from text by protoc --encode.
abi: bodies are the fields abi_fuzzer.cpp reads, in its order.
Run it again after changing a format; the seeds are committed, nothing runs this at test time."""
import pathlib
import struct
import subprocess

HERE = pathlib.Path(__file__).resolve().parent
PROTO_ROOT = HERE.parent.parent / "proto"
APPEND, READ_STREAM, READ_ALL = 0, 1, 2
MESSAGES = {APPEND: "AppendRequest", READ_STREAM: "ReadStreamRequest", READ_ALL: "ReadAllRequest"}


def op(kind, body):
    return struct.pack("<BH", kind, len(body)) + body


def encode(kind, text):
    return subprocess.run(
        ["protoc", f"--proto_path={PROTO_ROOT}", f"--encode=eventstore.v1.{MESSAGES[kind]}",
         "eventstore/v1/eventstore.proto"],
        input=text.encode(), capture_output=True, check=True).stdout


def service(*ops):
    return b"".join(op(kind, encode(kind, text)) for kind, text in ops)


def event(n, type_name="Placed", payload="{}", extra=""):
    return (f'events {{ metadata {{ event_id: "0190a4b2-0000-7000-8000-{n:012x}" '
            f'type_name: "{type_name}" {extra} }} payload: "{payload}" }}')


WITH_HEADER = 'headers { key: "k" value: "v" } tenant_id: "t"'
SERVICE = {
    "append-read": service(
        (APPEND, 'stream_id: "Order-1" expected_version { no_stream {} } '
                 + event(1, extra=WITH_HEADER)),
        (READ_STREAM, 'stream_id: "Order-1" forward: true'),
        (READ_ALL, 'stream_prefix: "Order" max_count: 3')),
    "conflict-retry": service(
        (APPEND, f'stream_id: "S" {event(1)} {event(2)}'),
        (APPEND, f'stream_id: "S" expected_version {{ exact: 1 }} {event(3)}'),
        (APPEND, f'stream_id: "S" expected_version {{ exact: 5 }} {event(1)} {event(2)}'),
        (APPEND, f'stream_id: "T" expected_version {{ stream_exists {{}} }} {event(2)}'),
        (READ_STREAM, 'stream_id: "S" from_version: 0 max_count: 1')),
    "limits": service(
        (APPEND, f'stream_id: "{"x" * 40}" {event(1)}'),
        (APPEND, 'stream_id: "S" ' + " ".join(event(i) for i in range(1, 10))),
        (APPEND, f'stream_id: "S" {event(1, payload="p" * 2100)}'),
        (APPEND, 'stream_id: "S" events { metadata { type_name: "NoId" } }'),
        (APPEND, f'stream_id: "S" {event(7, type_name="")}'),
        (READ_ALL, 'after_global_position: 18446744073709551615 max_count: 4294967295')),
    "backward": service(
        (APPEND, 'stream_id: "B" ' + " ".join(event(i) for i in range(1, 6))),
        (READ_STREAM, 'stream_id: "B" max_count: 2'),
        (READ_STREAM, 'stream_id: "B" from_version: 3 max_count: 2'),
        (READ_STREAM, 'stream_id: "B" from_version: 18446744073709551615 forward: true')),
}


def s(text, length=None):
    data = text if isinstance(text, bytes) else text.encode()
    return struct.pack("<B", len(data) if length is None else length) + data


def abi_event(id_choice, type_name=b"T", payload=b"p", headers=(), missing=0, raw_id=b""):
    body = struct.pack("<BB", missing, id_choice)
    if id_choice >= 192:
        body += s(raw_id)
    body += s(type_name) + s(b"ct") + s(b"tn") + struct.pack("<B", len(headers))
    for key, value in headers:
        body += s(key) + s(value)
    return body + s(payload)


def abi_append(kind, version, stream, events):
    return op(APPEND, struct.pack("<BB", kind, version) + s(stream) +
              struct.pack("<B", len(events)) + b"".join(events))


ABI = {
    "append-read": abi_append(1, 0, b"S\xff", [abi_event(1, payload=b"p\x00q",
                                                                headers=[(b"", b"\x00")])])
    + op(READ_STREAM, struct.pack("<B", 1) + s(b"S\xff") + struct.pack("<BI", 0, 10))
    + op(READ_ALL, struct.pack("<BI", 0, 0) + s(b"S") + struct.pack("<B", 1)),
    "bad-input": abi_append(5, 0, b"", [abi_event(2)])
    + abi_append(0, 0, b"S", [abi_event(200, raw_id=b"not-a-uuid")])
    + abi_append(0, 0, b"S", [abi_event(3, missing=0xff)])
    + abi_append(0, 0, b"S", [abi_event(4), abi_event(4)]),
    "retry": abi_append(1, 0, b"R", [abi_event(5), abi_event(6)])
    + abi_append(3, 1, b"R", [abi_event(5), abi_event(6)])
    + abi_append(0, 0, b"Q", [abi_event(6)])
    + op(READ_STREAM, struct.pack("<B", 0) + s(b"R") + struct.pack("<BI", 0, 1)),
}

for target, seeds in (("service", SERVICE), ("abi", ABI)):
    folder = HERE / "corpus" / target
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in seeds.items():
        (folder / f"seed-{name}").write_bytes(data)
