// With TLS and auth (phase 2 of run.sh): Basic credentials mapped to a token (the connection
// string's user:password), a Bearer token, a read-only user refused on append, no credentials
// refused. Skipped in the plaintext phase.
"use strict";
const { test, after } = require("node:test");
const assert = require("node:assert/strict");
const { jsonEvent, AccessDeniedError, START } = require("@kurrent/kurrentdb-client");
const { connect, disposeAll, streamName, collect, record, waitFor, tls } = require("./support");

after(disposeAll);
const skip = tls ? false : "plaintext phase: no auth";

test("Basic credentials from the connection string append, read and subscribe", { skip }, async () => {
  const client = connect();
  const stream = streamName("basic");
  const e = jsonEvent({ type: "Authed", data: {} });
  await client.appendToStream(stream, e);
  assert.deepEqual((await collect(() => client.readStream(stream))).map((r) => r.event.id), [e.id]);
  const subscription = client.subscribeToStream(stream, { fromRevision: START });
  const log = record(subscription);
  await waitFor(() => log.events().length >= 1 || log.error, "the event");
  await subscription.unsubscribe();
  assert.equal(log.error, undefined);
});

test("a Bearer token (credentials provider) appends and reads", { skip }, async () => {
  const client = connect(process.env.KURRENT_ANONYMOUS_CONNECTION_STRING);
  client.setCredentialsProvider(() => ({ bearerToken: process.env.KURRENT_BEARER_TOKEN }));
  const stream = streamName("bearer");
  const e = jsonEvent({ type: "Authed", data: {} });
  await client.appendToStream(stream, e);
  assert.deepEqual((await collect(() => client.readStream(stream))).map((r) => r.event.id), [e.id]);
});

test("a read-only user may read but not append (AccessDeniedError, nothing written)", { skip }, async () => {
  const writer = connect();
  const reader = connect(process.env.KURRENT_READER_CONNECTION_STRING);
  const stream = streamName("readonly");
  await writer.appendToStream(stream, jsonEvent({ type: "Authed", data: {} }));
  assert.equal((await collect(() => reader.readStream(stream))).length, 1);
  await assert.rejects(reader.appendToStream(stream, jsonEvent({ type: "Refused", data: {} })), AccessDeniedError);
  assert.equal((await collect(() => writer.readStream(stream))).length, 1);
});

test("no credentials: append and read are refused", { skip }, async () => {
  const anonymous = connect(process.env.KURRENT_ANONYMOUS_CONNECTION_STRING);
  const stream = streamName("anonymous");
  await assert.rejects(anonymous.appendToStream(stream, jsonEvent({ type: "Refused", data: {} })), AccessDeniedError);
  await assert.rejects(collect(() => anonymous.readStream(stream)), AccessDeniedError);
});

test("wrong Basic credentials are refused", { skip }, async () => {
  const uri = process.env.KURRENT_CONNECTION_STRING.replace(/\/\/writer:[^@]*@/, "//writer:wrong-password@");
  const client = connect(uri);
  await assert.rejects(client.appendToStream(streamName("wrong"), jsonEvent({ type: "Refused", data: {} })), AccessDeniedError);
});
