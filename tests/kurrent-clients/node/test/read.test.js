// readStream (through the client's Rust bridge) forwards and backwards with limits, a missing
// stream as StreamNotFoundError; readAll forwards and backwards, filtered by stream-name prefix,
// by event-type prefix, by regular expression (the Python client's default one too); an invalid
// regular expression refused.
"use strict";
const { test, before, after } = require("node:test");
const assert = require("node:assert/strict");
const {
  jsonEvent, START, END, FORWARDS, BACKWARDS, StreamNotFoundError, streamNameFilter, eventTypeFilter,
} = require("@kurrent/kurrentdb-client");
const { connect, disposeAll, streamName, collect, randomUUID } = require("./support");

after(disposeAll);
const client = connect();

// The Python client's default filter for $all (kurrentdbclient 1.3.5, DEFAULT_EXCLUDE_FILTER).
const PYTHON_DEFAULT_REGEX = "^(?!(\\$.+$|PersistentConfig\\d+$|Result$))";

test("readStream forwards and backwards, from a revision, with limits", async () => {
  const stream = streamName();
  await client.appendToStream(stream, [...Array(10).keys()].map((n) => jsonEvent({ type: "Counted", data: { n } })));
  const revs = async (options) => (await collect(() => client.readStream(stream, options))).map((e) => e.event.revision);

  assert.deepEqual(await revs({}), [...Array(10).keys()].map(BigInt));
  assert.deepEqual(await revs({ maxCount: 3 }), [0n, 1n, 2n]);
  assert.deepEqual(await revs({ fromRevision: 4n, maxCount: 3 }), [4n, 5n, 6n]);
  assert.deepEqual(await revs({ fromRevision: 8n }), [8n, 9n]);
  assert.deepEqual(await revs({ direction: BACKWARDS, fromRevision: END, maxCount: 3 }), [9n, 8n, 7n]);
  assert.deepEqual(await revs({ direction: BACKWARDS, fromRevision: 5n, maxCount: 2 }), [5n, 4n]);
  assert.deepEqual(await revs({ direction: BACKWARDS, fromRevision: END }), [...Array(10).keys()].reverse().map(BigInt));
  assert.deepEqual(await revs({ direction: FORWARDS, fromRevision: 10n }), []);
  const [first] = await collect(() => client.readStream(stream, { maxCount: 1 }));
  assert.equal(first.event.streamId, stream);
  assert.equal(first.event.type, "Counted");
  assert.deepEqual(first.event.data, { n: 0 });
  assert.ok(first.event.position.commit > 0n);
});

test("reading a missing stream raises StreamNotFoundError, forwards and backwards", async () => {
  const stream = streamName("missing");
  await assert.rejects(collect(() => client.readStream(stream)), StreamNotFoundError);
  await assert.rejects(collect(() => client.readStream(stream, { direction: BACKWARDS, fromRevision: END })),
    StreamNotFoundError);
});

// Events on three streams of one unique prefix, with event types of a unique prefix.
let prefix, typePrefix, written, firstPosition;
before(async () => {
  prefix = `all-${randomUUID()}`;
  typePrefix = `T${randomUUID().slice(0, 8)}`;
  written = [];
  for (const [stream, type] of [["a", "Alpha"], ["b", "Beta"], ["c", "Alpha"], ["a", "Gamma"], ["b", "Alpha"]]) {
    const e = jsonEvent({ type: `${typePrefix}${type}`, data: { stream } });
    const result = await client.appendToStream(`${prefix}-${stream}`, e);
    firstPosition ??= result.position;
    written.push({ id: e.id, stream: `${prefix}-${stream}`, type: e.type, position: result.position });
  }
});

const ids = (events) => events.map((e) => e.event.id);

test("readAll forwards from a position (inclusive) and backwards from the end", async () => {
  const forward = await collect(() => client.readAll({ fromPosition: firstPosition, maxCount: written.length }));
  assert.equal(forward[0].event.id, written[0].id, "a forward read starts at its position");
  for (let i = 1; i < forward.length; i++) {
    assert.ok(forward[i].event.position.commit > forward[i - 1].event.position.commit, "forward: positions increase");
  }
  const ours = forward.filter((e) => e.event.streamId.startsWith(prefix));
  assert.deepEqual(ids(ours), written.map((w) => w.id).slice(0, ours.length));

  const backward = await collect(() => client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 50 }));
  assert.ok(backward.length > 0);
  for (let i = 1; i < backward.length; i++) {
    assert.ok(backward[i].event.position.commit < backward[i - 1].event.position.commit, "backward: positions decrease");
  }
  const older = await collect(() => client.readAll({ direction: BACKWARDS, fromPosition: written[2].position, maxCount: 2 }));
  assert.equal(older.length, 2);
  assert.ok(older.every((e) => e.event.position.commit <= written[2].position.commit));
});

test("readAll filtered by stream-name prefix, forwards and backwards", async () => {
  const filter = streamNameFilter({ prefixes: [`${prefix}-a`, `${prefix}-c`] });
  const expected = written.filter((w) => /-(a|c)$/.test(w.stream)).map((w) => w.id);
  assert.deepEqual(ids(await collect(() => client.readAll({ fromPosition: START, filter }))), expected);
  assert.deepEqual(ids(await collect(() => client.readAll({ direction: BACKWARDS, fromPosition: END, filter }))),
    [...expected].reverse());
  assert.deepEqual(ids(await collect(() => client.readAll({ fromPosition: START, filter, maxCount: 2 }))), expected.slice(0, 2));
});

test("readAll filtered by event-type prefix", async () => {
  const filter = eventTypeFilter({ prefixes: [`${typePrefix}Alpha`] });
  const expected = written.filter((w) => w.type.endsWith("Alpha")).map((w) => w.id);
  assert.deepEqual(ids(await collect(() => client.readAll({ fromPosition: firstPosition, filter }))), expected);
  assert.deepEqual(ids(await collect(() => client.readAll({ direction: BACKWARDS, fromPosition: END, filter }))),
    [...expected].reverse());
});

test("readAll filtered by a regular expression on the stream name and on the event type", async () => {
  const escaped = prefix.replace(/[-]/g, "\\-");
  const byStream = streamNameFilter({ regex: `^${escaped}-(a|b)$` });
  assert.deepEqual(ids(await collect(() => client.readAll({ fromPosition: firstPosition, filter: byStream }))),
    written.filter((w) => /-(a|b)$/.test(w.stream)).map((w) => w.id));
  // A search, not a whole-string match: "Gamma" anywhere in the type.
  const byType = eventTypeFilter({ regex: `${typePrefix}Gam` });
  assert.deepEqual(ids(await collect(() => client.readAll({ fromPosition: firstPosition, filter: byType }))),
    written.filter((w) => w.type.endsWith("Gamma")).map((w) => w.id));
});

test("readAll with the Python client's default regular expression skips $-types, PersistentConfigN and Result", async () => {
  const stream = streamName("pydefault");
  const types = ["Result", "PersistentConfig1", "$system-like", "Kept", "ResultKept", "PersistentConfigX"];
  await client.appendToStream(stream, types.map((type) => jsonEvent({ type, data: {} })));
  const filter = eventTypeFilter({ regex: PYTHON_DEFAULT_REGEX });
  const read = (await collect(() => client.readAll({ fromPosition: START, filter }))).filter((e) => e.event.streamId === stream);
  assert.deepEqual(read.map((e) => e.event.type), ["Kept", "ResultKept", "PersistentConfigX"]);
});

test("an invalid regular expression is refused, not read as matching nothing", async () => {
  await collect(() => client.readAll({ maxCount: 1, filter: streamNameFilter({ regex: "^valid" }) }));
  await assert.rejects(collect(() => client.readAll({ filter: streamNameFilter({ regex: "(" }) })));
  await assert.rejects(collect(() => client.readAll({ filter: eventTypeFilter({ regex: "[a-" }) })));
});
