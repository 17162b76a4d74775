// subscribeToStream and subscribeToAll (through grpc-js), from the start and from a position:
// the history, then caughtUp, then live events; checkpoints while a filter skips events.
"use strict";
const { test, after } = require("node:test");
const assert = require("node:assert/strict");
const { jsonEvent, START, END, streamNameFilter } = require("@kurrent/kurrentdb-client");
const { connect, disposeAll, streamName, record, checkpointRecorder, waitFor, randomUUID } = require("./support");

after(disposeAll);
const client = connect();

const events = (n, type = "Subscribed") => [...Array(n).keys()].map((i) => jsonEvent({ type, data: { i } }));

/** Asserts the log holds `history` events, then caughtUp, then `live` events (by id). */
function assertHistoryCaughtUpLive(log, history, live) {
  assert.equal(log.error, undefined, `the subscription failed: ${log.error}`);
  const caughtUp = log.indexOf("caughtUp");
  assert.ok(caughtUp >= 0, "caughtUp was sent");
  const before = log.items.slice(0, caughtUp).filter((i) => i.kind === "event").map((i) => i.event.event.id);
  const afterIds = log.items.slice(caughtUp + 1).filter((i) => i.kind === "event").map((i) => i.event.event.id);
  assert.deepEqual(before, history.map((e) => e.id), "the history, before caughtUp");
  assert.deepEqual(afterIds, live.map((e) => e.id), "the live events, after caughtUp");
}

test("subscribeToStream from the start: history, caughtUp, live", async () => {
  const stream = streamName();
  const history = events(3);
  await client.appendToStream(stream, history);
  const subscription = client.subscribeToStream(stream, { fromRevision: START });
  const log = record(subscription);
  await waitFor(() => log.indexOf("caughtUp") >= 0 || log.error, "caughtUp");
  const live = events(2, "Live");
  await client.appendToStream(stream, live[0]);
  await client.appendToStream(stream, live[1]);
  await waitFor(() => log.events().length >= 5 || log.error, "the live events");
  await subscription.unsubscribe();
  assert.ok(log.confirmed, "the subscription was confirmed");
  assertHistoryCaughtUpLive(log, history, live);
  assert.deepEqual(log.events().map((e) => e.event.revision), [0n, 1n, 2n, 3n, 4n]);
});

test("subscribeToStream from a revision starts after it", async () => {
  const stream = streamName();
  const history = events(4);
  await client.appendToStream(stream, history);
  const subscription = client.subscribeToStream(stream, { fromRevision: 1n });
  const log = record(subscription);
  await waitFor(() => log.indexOf("caughtUp") >= 0 || log.error, "caughtUp");
  const live = events(1, "Live");
  await client.appendToStream(stream, live);
  await waitFor(() => log.events().length >= 3 || log.error, "the live event");
  await subscription.unsubscribe();
  assertHistoryCaughtUpLive(log, history.slice(2), live);
});

test("subscribeToStream on a stream that does not exist yet: caughtUp, then its first events", async () => {
  const stream = streamName();
  const subscription = client.subscribeToStream(stream, { fromRevision: START });
  const log = record(subscription);
  await waitFor(() => log.indexOf("caughtUp") >= 0 || log.error, "caughtUp");
  const live = events(2, "Live");
  await client.appendToStream(stream, live);
  await waitFor(() => log.events().length >= 2 || log.error, "the live events");
  await subscription.unsubscribe();
  assertHistoryCaughtUpLive(log, [], live);
});

test("subscribeToStream from the end gets only new events", async () => {
  const stream = streamName();
  await client.appendToStream(stream, events(2));
  const subscription = client.subscribeToStream(stream, { fromRevision: END });
  const log = record(subscription);
  await waitFor(() => log.indexOf("caughtUp") >= 0 || log.error, "caughtUp");
  const live = events(1, "Live");
  await client.appendToStream(stream, live);
  await waitFor(() => log.events().length >= 1 || log.error, "the live event");
  await subscription.unsubscribe();
  assertHistoryCaughtUpLive(log, [], live);
});

test("subscribeToAll from the start with a stream-name filter: history, caughtUp, live", async () => {
  const prefix = `suball-${randomUUID()}`;
  const history = events(3);
  for (const [i, e] of history.entries()) await client.appendToStream(`${prefix}-${i}`, e);
  const subscription = client.subscribeToAll({ fromPosition: START, filter: streamNameFilter({ prefixes: [prefix] }) });
  const log = record(subscription);
  await waitFor(() => log.indexOf("caughtUp") >= 0 || log.error, "caughtUp", 20_000);
  const live = events(2, "Live");
  await client.appendToStream(`${prefix}-live`, live);
  await waitFor(() => log.events().length >= 5 || log.error, "the live events");
  await subscription.unsubscribe();
  assertHistoryCaughtUpLive(log, history, live);
  const positions = log.events().map((e) => e.event.position.commit);
  for (let i = 1; i < positions.length; i++) assert.ok(positions[i] > positions[i - 1], "positions increase");
});

test("subscribeToAll from a position starts after it", async () => {
  const prefix = `suballpos-${randomUUID()}`;
  const history = events(3);
  const results = [];
  for (const [i, e] of history.entries()) results.push(await client.appendToStream(`${prefix}-${i}`, e));
  const subscription = client.subscribeToAll({
    fromPosition: results[0].position, filter: streamNameFilter({ prefixes: [prefix] }),
  });
  const log = record(subscription);
  await waitFor(() => log.indexOf("caughtUp") >= 0 || log.error, "caughtUp");
  const live = events(1, "Live");
  await client.appendToStream(`${prefix}-live`, live);
  await waitFor(() => log.events().length >= 3 || log.error, "the live event");
  await subscription.unsubscribe();
  assertHistoryCaughtUpLive(log, history.slice(1), live);
});

test("subscribeToAll without a filter delivers every stream's events after a position", async () => {
  const stream = streamName();
  const first = await client.appendToStream(stream, events(1));
  const subscription = client.subscribeToAll({ fromPosition: first.position });
  const log = record(subscription);
  await waitFor(() => log.indexOf("caughtUp") >= 0 || log.error, "caughtUp");
  const live = events(2, "Live");
  await client.appendToStream(stream, live);
  const ours = () => log.events().filter((e) => e.event.streamId === stream);
  await waitFor(() => ours().length >= 2 || log.error, "the live events");
  await subscription.unsubscribe();
  assert.equal(log.error, undefined);
  assert.deepEqual(ours().map((e) => e.event.id), live.map((e) => e.id));
});

test("checkpoints arrive while a filter skips events, at positions of the skipped range", async () => {
  const prefix = `checkpointed-${randomUUID()}`;
  const start = await client.appendToStream(`${prefix}-start`, events(1));
  const { checkpoints, checkpointReached } = checkpointRecorder();
  const subscription = client.subscribeToAll({
    fromPosition: start.position,
    filter: streamNameFilter({ prefixes: [`${prefix}-match`], maxSearchWindow: 10, checkpointInterval: 1, checkpointReached }),
  });
  const log = record(subscription);
  await waitFor(() => log.indexOf("caughtUp") >= 0 || log.error, "caughtUp");
  const skippedFrom = checkpoints.length;
  let last;
  for (let i = 0; i < 10; i++) last = await client.appendToStream(`${prefix}-skipped`, events(20, "Skipped"));
  await waitFor(() => checkpoints.slice(skippedFrom).some((c) => c.commit > start.position.commit) || log.error,
    "a checkpoint while the filter skips 200 events", 15_000);
  const match = await client.appendToStream(`${prefix}-match`, events(1, "Matched"));
  await waitFor(() => log.events().length >= 1 || log.error, "the matching event");
  await subscription.unsubscribe();
  assert.equal(log.error, undefined);
  assert.deepEqual(log.events().map((e) => e.event.streamId), [`${prefix}-match`]);
  for (const c of checkpoints) {
    assert.ok(c.commit >= start.position.commit, "a checkpoint is not before the start");
    assert.ok(c.commit <= match.position.commit, "a checkpoint is not past the next event");
  }
  for (let i = 1; i < checkpoints.length; i++) assert.ok(checkpoints[i].commit >= checkpoints[i - 1].commit);
  assert.ok(checkpoints.some((c) => c.commit > start.position.commit && c.commit <= last.position.commit));
});
