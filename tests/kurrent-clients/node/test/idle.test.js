// An idle subscription (the client pings every 10 s) lives KURRENT_IDLE_SECONDS (60 in run.sh,
// on the memory backend), then still delivers. Skipped when KURRENT_IDLE_SECONDS is not set.
"use strict";
const { test, after } = require("node:test");
const assert = require("node:assert/strict");
const { jsonEvent, START } = require("@kurrent/kurrentdb-client");
const { connect, disposeAll, streamName, record, waitFor, sleep } = require("./support");

after(disposeAll);
const seconds = Number(process.env.KURRENT_IDLE_SECONDS || 0);

test(`a subscription idle for ${seconds} s still delivers`, { skip: seconds > 0 ? false : "KURRENT_IDLE_SECONDS not set", timeout: (seconds + 60) * 1000 }, async () => {
  const client = connect();
  const stream = streamName("idle");
  await client.appendToStream(stream, jsonEvent({ type: "Before", data: {} }));
  const subscription = client.subscribeToStream(stream, { fromRevision: START });
  const log = record(subscription);
  await waitFor(() => log.indexOf("caughtUp") >= 0 || log.error, "caughtUp");
  await sleep(seconds * 1000);
  assert.equal(log.error, undefined, `the idle subscription failed: ${log.error}`);
  const after = jsonEvent({ type: "AfterIdle", data: {} });
  await client.appendToStream(stream, after);
  await waitFor(() => log.events().length >= 2 || log.error, "the event after the idle time");
  await subscription.unsubscribe();
  assert.equal(log.error, undefined);
  assert.deepEqual(log.events().map((e) => e.event.type), ["Before", "AfterIdle"]);
});
