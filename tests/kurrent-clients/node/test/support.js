// Shared helpers of the Node acceptance tests. The server and the connection string come from
// run.sh: KURRENT_CONNECTION_STRING (plaintext, or TLS with Basic credentials), KURRENT_TLS,
// KURRENT_BEARER_TOKEN, KURRENT_READER_CONNECTION_STRING, KURRENT_ANONYMOUS_CONNECTION_STRING,
// KURRENT_MAX_APPEND_BYTES, EVENTSTORE_V1_TARGET (+ _CA_FILE, _TOKEN), EVENTSTORE_PROTO_DIR.
"use strict";
const { randomUUID } = require("node:crypto");
const path = require("node:path");
const fs = require("node:fs");
const { KurrentDBClient, UnavailableError } = require("@kurrent/kurrentdb-client");

const connectionString = process.env.KURRENT_CONNECTION_STRING;
if (!connectionString) throw new Error("KURRENT_CONNECTION_STRING is not set: run tests/kurrent-clients/run.sh");

const clients = [];
/** A client of `uri` (default: the run's connection string), disposed by disposeAll(). */
function connect(uri = connectionString) {
  const client = KurrentDBClient.connectionString(uri);
  if (process.env.KURRENT_NODE_APPEND === "Append") useAppend(client, uri);
  clients.push(client);
  return client;
}

/**
 * With KURRENT_NODE_APPEND=Append (run.sh's second Node run): a credentials provider on every
 * client, which makes appendToStream use Streams.Append instead of the BatchAppend that the
 * server's ServerFeatures offers (the client's streams/appendToStream/index.js). It gives the
 * connection string's own credentials, so every call still sends what it would without it.
 */
function useAppend(client, uri) {
  const { username, password } = new URL(uri.replace(/^kurrentdb:/, "http:"));
  client.setCredentialsProvider(() =>
    username ? { username: decodeURIComponent(username), password: decodeURIComponent(password) } : undefined);
}

async function disposeAll() {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
}

/** A stream name no other test uses. */
function streamName(prefix = "node") {
  return `${prefix}-${randomUUID()}`;
}

/**
 * Every item of the read that `start()` begins. The client reports a connection its Rust bridge
 * lost as UnavailableError and reconnects on the next call, as its docs tell applications to
 * retry; a read that meets one is started once more (seen once in about ten CI runs, at the first
 * read of a test file over TLS, with no failed call in the server's log). Any other error, or a
 * second one, fails the test.
 */
async function collect(start) {
  for (let attempt = 1; ; attempt++) {
    try {
      const out = [];
      for await (const item of start()) out.push(item);
      return out;
    } catch (error) {
      if (attempt > 1 || !(error instanceof UnavailableError)) throw error;
    }
  }
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `predicate` every 20 ms until it is true, or throws after `ms` naming `what`. */
async function waitFor(predicate, what, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(20);
  }
}

/**
 * Records what a subscription delivers, in order: {kind: "event", event} for each resolved event,
 * {kind: "caughtUp"} and {kind: "checkpoint", position}; `error` keeps the first error.
 * `checkpointReached` is the callback to give a filter so checkpoints are recorded too.
 */
function record(subscription) {
  const log = { items: [], error: undefined, confirmed: false };
  subscription.on("data", (event) => log.items.push({ kind: "event", event }));
  subscription.on("caughtUp", () => log.items.push({ kind: "caughtUp" }));
  subscription.on("confirmation", () => { log.confirmed = true; });
  subscription.on("error", (error) => { log.error ??= error; });
  log.events = () => log.items.filter((i) => i.kind === "event").map((i) => i.event);
  log.indexOf = (kind) => log.items.findIndex((i) => i.kind === kind);
  return log;
}

function checkpointRecorder() {
  const checkpoints = [];
  const checkpointReached = (_subscription, position) => { checkpoints.push(position); };
  return { checkpoints, checkpointReached };
}

/** The eventstore.v1 service, through grpc-js and proto-loader (proto/eventstore/v1/eventstore.proto). */
function v1Client() {
  const grpc = require("@grpc/grpc-js");
  const loader = require("@grpc/proto-loader");
  const protoDir = process.env.EVENTSTORE_PROTO_DIR;
  const definition = loader.loadSync(path.join(protoDir, "eventstore/v1/eventstore.proto"), {
    includeDirs: [protoDir], longs: String, defaults: true, keepCase: true,
  });
  const { EventStore } = grpc.loadPackageDefinition(definition).eventstore.v1;
  const credentials = process.env.EVENTSTORE_V1_CA_FILE
    ? grpc.credentials.createSsl(fs.readFileSync(process.env.EVENTSTORE_V1_CA_FILE))
    : grpc.credentials.createInsecure();
  const client = new EventStore(process.env.EVENTSTORE_V1_TARGET, credentials);
  const metadata = new grpc.Metadata();
  if (process.env.EVENTSTORE_V1_TOKEN) metadata.add("authorization", `Bearer ${process.env.EVENTSTORE_V1_TOKEN}`);
  const readStream = (request) => new Promise((resolve, reject) => {
    client.readStream(request, metadata, { deadline: Date.now() + 10_000 }, (error, response) =>
      (error ? reject(error) : resolve(response)));
  });
  return { readStream, close: () => client.close() };
}

const tls = process.env.KURRENT_TLS === "1";

module.exports = {
  connect, disposeAll, streamName, collect, sleep, waitFor, record, checkpointRecorder, v1Client,
  connectionString, tls, randomUUID,
};
