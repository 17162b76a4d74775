// appendToStream with every expected state, one event and a batch; wrong expected versions as
// the client's WrongExpectedVersionError with the actual revision; bad input that the client lets
// through (a malformed event id, an append over limits.max_append_bytes) refused, nothing written.
"use strict";
const { test, after } = require("node:test");
const assert = require("node:assert/strict");
const {
  jsonEvent, binaryEvent, ANY, NO_STREAM, STREAM_EXISTS, WrongExpectedVersionError,
  StreamNotFoundError, MaxAppendSizeExceededError,
} = require("@kurrent/kurrentdb-client");
const { connect, disposeAll, streamName, collect } = require("./support");

after(disposeAll);
const client = connect();

const event = (type = "Appended", data = { n: 1 }) => jsonEvent({ type, data });

async function revisions(stream) {
  return (await collect(() => client.readStream(stream))).map((e) => e.event.revision);
}

async function assertNotWritten(stream) {
  await assert.rejects(collect(() => client.readStream(stream)), StreamNotFoundError);
}

test("one event with each expected state: no_stream, stream_exists, any, an exact revision", async () => {
  const stream = streamName();
  const first = await client.appendToStream(stream, event(), { streamState: NO_STREAM });
  assert.equal(first.success, true);
  assert.equal(first.nextExpectedRevision, 0n);
  assert.ok(first.position, "an append answers its position");
  assert.equal(first.position.commit, first.position.prepare);

  const second = await client.appendToStream(stream, event(), { streamState: STREAM_EXISTS });
  assert.equal(second.nextExpectedRevision, 1n);
  assert.ok(second.position.commit > first.position.commit);

  const third = await client.appendToStream(stream, event(), { streamState: ANY });
  assert.equal(third.nextExpectedRevision, 2n);

  const fourth = await client.appendToStream(stream, event(), { streamState: 2n });
  assert.equal(fourth.nextExpectedRevision, 3n);
  assert.ok(fourth.position.commit > third.position.commit);

  assert.deepEqual(await revisions(stream), [0n, 1n, 2n, 3n]);
});

test("ANY on a new stream creates it, and is the default", async () => {
  const stream = streamName();
  assert.equal((await client.appendToStream(stream, event(), { streamState: ANY })).nextExpectedRevision, 0n);
  assert.equal((await client.appendToStream(stream, event())).nextExpectedRevision, 1n);
});

test("a batch with each expected state is written atomically, in order", async () => {
  const stream = streamName();
  const batch = (tag) => [1, 2, 3].map((n) => event(`Batch${tag}`, { n }));
  const a = batch("A");
  let result = await client.appendToStream(stream, a, { streamState: NO_STREAM });
  assert.equal(result.nextExpectedRevision, 2n);
  result = await client.appendToStream(stream, batch("B"), { streamState: STREAM_EXISTS });
  assert.equal(result.nextExpectedRevision, 5n);
  result = await client.appendToStream(stream, batch("C"), { streamState: ANY });
  assert.equal(result.nextExpectedRevision, 8n);
  result = await client.appendToStream(stream, batch("D"), { streamState: 8n });
  assert.equal(result.nextExpectedRevision, 11n);

  const read = await collect(() => client.readStream(stream));
  assert.deepEqual(read.map((e) => e.event.revision), [...Array(12).keys()].map(BigInt));
  assert.deepEqual(read.map((e) => e.event.type),
    ["A", "B", "C", "D"].flatMap((t) => [`Batch${t}`, `Batch${t}`, `Batch${t}`]));
  assert.deepEqual(read.slice(0, 3).map((e) => e.event.id), a.map((e) => e.id));
  const positions = read.map((e) => e.event.position.commit);
  for (let i = 1; i < positions.length; i++) assert.ok(positions[i] > positions[i - 1], "positions increase");
});

test("a wrong exact revision raises WrongExpectedVersionError with the actual revision, and writes nothing", async () => {
  const stream = streamName();
  await client.appendToStream(stream, [event(), event()], { streamState: NO_STREAM });
  const error = await client.appendToStream(stream, event(), { streamState: 5n }).then(
    () => assert.fail("the append succeeded"), (e) => e);
  assert.ok(error instanceof WrongExpectedVersionError, `got ${error?.constructor?.name}: ${error?.message}`);
  assert.equal(error.streamName, stream);
  assert.equal(error.expectedState, 5n);
  assert.equal(error.actualState, 1n);
  assert.deepEqual(await revisions(stream), [0n, 1n]);
});

test("no_stream on an existing stream raises WrongExpectedVersionError with the actual revision", async () => {
  const stream = streamName();
  await client.appendToStream(stream, event());
  const error = await client.appendToStream(stream, [event(), event()], { streamState: NO_STREAM }).then(
    () => assert.fail("the append succeeded"), (e) => e);
  assert.ok(error instanceof WrongExpectedVersionError, `got ${error?.constructor?.name}: ${error?.message}`);
  assert.equal(error.expectedState, NO_STREAM);
  assert.equal(error.actualState, 0n);
  assert.deepEqual(await revisions(stream), [0n]);
});

test("stream_exists or a revision on a missing stream raise WrongExpectedVersionError (actual: no_stream)", async () => {
  const stream = streamName();
  for (const streamState of [STREAM_EXISTS, 0n]) {
    const error = await client.appendToStream(stream, event(), { streamState }).then(
      () => assert.fail("the append succeeded"), (e) => e);
    assert.ok(error instanceof WrongExpectedVersionError, `got ${error?.constructor?.name}: ${error?.message}`);
    assert.equal(error.actualState, NO_STREAM);
    assert.equal(error.expectedState, streamState);
  }
  await assertNotWritten(stream);
});

test("a malformed event id is refused and nothing is written", async () => {
  const stream = streamName();
  const bad = jsonEvent({ id: "not-a-uuid", type: "Bad", data: {} });
  await assert.rejects(client.appendToStream(stream, [event(), bad]));
  await assertNotWritten(stream);
});

test("an append over limits.max_append_bytes raises MaxAppendSizeExceededError and writes nothing", async () => {
  const limit = Number(process.env.KURRENT_MAX_APPEND_BYTES);
  assert.ok(limit > 0, "KURRENT_MAX_APPEND_BYTES is set");
  const stream = streamName();
  const big = binaryEvent({ type: "Big", data: new Uint8Array(Math.ceil(limit * 1.5)) });
  const error = await client.appendToStream(stream, [event(), big]).then(
    () => assert.fail("the append succeeded"), (e) => e);
  assert.ok(error instanceof MaxAppendSizeExceededError, `got ${error?.constructor?.name}: ${error?.message}`);
  assert.equal(error.maxAppendSize, limit);
  await assertNotWritten(stream);
});
