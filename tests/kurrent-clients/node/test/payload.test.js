// Payloads and metadata byte for byte (binary, JSON, custom metadata), through the bridge's
// readStream and grpc-js's subscribeToStream; the same events read back through eventstore.v1.
"use strict";
const { test, after } = require("node:test");
const assert = require("node:assert/strict");
const { randomBytes } = require("node:crypto");
const { jsonEvent, binaryEvent, START } = require("@kurrent/kurrentdb-client");
const { connect, disposeAll, streamName, collect, record, waitFor, v1Client } = require("./support");

after(disposeAll);
const client = connect();

// Every byte value, then random bytes; metadata that is not UTF-8, not JSON, with zero bytes.
const binaryData = Buffer.concat([Buffer.from([...Array(256).keys()]), randomBytes(4096)]);
const binaryMetadata = Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x22, 0x00, 0xc3, 0x28, 0x0a]);
const jsonData = { text: "héllo ✓ \u0000 \"quoted\"", n: 1.5, big: 12345678901234, list: [1, "two", null], nested: { ok: true } };
const jsonMetadata = { $correlationId: "c-1", $causationId: "c-0", custom: ["x", 2] };

function makeEvents() {
  return [
    binaryEvent({ type: "Binary", data: binaryData, metadata: binaryMetadata }),
    jsonEvent({ type: "Json", data: jsonData, metadata: jsonMetadata }),
    jsonEvent({ type: "JsonNoMetadata", data: [] }),
    binaryEvent({ type: "Empty", data: new Uint8Array(0) }),
  ];
}

function assertSame(read, sent, stream) {
  assert.equal(read.length, sent.length);
  const [binary, json, noMeta, empty] = read.map((r) => r.event);
  for (const [i, e] of read.entries()) {
    assert.equal(e.event.id, sent[i].id);
    assert.equal(e.event.type, sent[i].type);
    assert.equal(e.event.streamId, stream);
    assert.equal(e.event.revision, BigInt(i));
    assert.ok(Math.abs(e.event.created.getTime() - Date.now()) < 5 * 60_000, `created ${e.event.created.toISOString()} is now`);
  }
  assert.equal(binary.isJson, false);
  assert.ok(Buffer.from(binary.data).equals(binaryData), "binary data byte for byte");
  assert.ok(binary.metadata instanceof Uint8Array, "non-JSON metadata comes back as bytes");
  assert.ok(Buffer.from(binary.metadata).equals(binaryMetadata), "custom metadata byte for byte");
  assert.equal(json.isJson, true);
  assert.deepEqual(json.data, jsonData);
  assert.deepEqual(json.metadata, jsonMetadata);
  assert.deepEqual(noMeta.data, []);
  assert.equal(noMeta.metadata, undefined);
  assert.equal(Buffer.from(empty.data).length, 0);
}

test("payloads and custom metadata come back byte for byte through readStream", async () => {
  const stream = streamName("payload");
  const sent = makeEvents();
  await client.appendToStream(stream, sent);
  assertSame(await collect(() => client.readStream(stream)), sent, stream);
});

test("payloads and custom metadata come back byte for byte through a subscription", async () => {
  const stream = streamName("payload");
  const sent = makeEvents();
  await client.appendToStream(stream, sent);
  const subscription = client.subscribeToStream(stream, { fromRevision: START });
  const log = record(subscription);
  await waitFor(() => log.events().length >= sent.length || log.error, "the events");
  await subscription.unsubscribe();
  assert.equal(log.error, undefined);
  assertSame(log.events(), sent, stream);
});

test("the same events read back through eventstore.v1: ids, types, payloads, versions, positions", async () => {
  const stream = streamName("v1");
  const sent = makeEvents();
  await client.appendToStream(stream, sent);
  const read = await collect(() => client.readStream(stream));
  const v1 = v1Client();
  try {
    const response = await v1.readStream({ stream_id: stream, from_version: 0, max_count: 100, forward: true });
    assert.equal(response.events.length, sent.length);
    for (const [i, e] of response.events.entries()) {
      assert.equal(e.stream_id, stream);
      assert.equal(e.metadata.event_id, sent[i].id);
      assert.equal(e.metadata.type_name, sent[i].type);
      assert.equal(BigInt(e.stream_version), BigInt(i) + 1n, "version = revision + 1");
      assert.equal(BigInt(e.global_position), read[i].event.position.commit, "global position = commit position");
    }
    assert.ok(Buffer.from(response.events[0].payload).equals(binaryData));
    assert.deepEqual(JSON.parse(Buffer.from(response.events[1].payload).toString("utf8")), jsonData);
    assert.equal(response.events[1].metadata.content_type, "application/json");
  } finally {
    v1.close();
  }
});
