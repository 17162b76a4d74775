// TLS and tokens (sdks/SPEC.md, "Tests"): one eventstored with mutual TLS and auth on, set up by
// sdks/conformance/secure_server.sh (a CA, certificates for 127.0.0.1 and a client, a writer, a
// read-only and an admin token).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import {
  EventStoreClient,
  jsonEvent,
  noStream,
  PermissionDeniedError,
  UnauthenticatedError,
  UnavailableError,
  decodeJsonEvent,
  type ClientOptions,
} from "@eventstore/client";
import { runStep, type LifecycleStep } from "./lifecycle-steps";
import { TestServer, uniqueStream } from "./server";

const script = path.resolve(__dirname, "..", "..", "..", "conformance", "secure_server.sh");
const casesFile = path.resolve(__dirname, "..", "..", "..", "conformance", "cases.json");
const permissionCases = (JSON.parse(readFileSync(casesFile, "utf8")) as { lifecycle_permissions: (LifecycleStep & { name: string; token: string })[] }).lifecycle_permissions;
const dir = mkdtempSync(path.join(tmpdir(), "eventstore-ts-tls-"));
const file = (name: string) => readFileSync(path.join(dir, name));
let server: TestServer;
const clients: EventStoreClient[] = [];

before(async () => {
  execFileSync(script, [dir, "--mutual"], { stdio: "inherit" });
  server = await TestServer.start(file("secure.yaml").toString("utf8"));
});
after(async () => {
  for (const client of clients) client.close();
  await server?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function connect(tokenFile = "writer.token", overrides: ClientOptions = {}): EventStoreClient {
  const client = new EventStoreClient(server.target, {
    caCert: file("ca.crt"),
    clientCert: file("client.crt"),
    clientKey: file("client.key"),
    token: file(tokenFile).toString("utf8"),
    timeoutMs: 10_000,
    ...overrides,
  });
  clients.push(client);
  return client;
}

test("with the CA, a client certificate and a token it appends, reads and subscribes", async () => {
  const client = connect();
  const s = uniqueStream("tls");
  await client.append(s, [jsonEvent("Placed", { n: 1 })], noStream);
  const read = await client.readStream(s).toArray();
  assert.deepEqual(read.map((e) => decodeJsonEvent(e)), [{ n: 1 }]);
  const subscription = client.subscribe({ streamPrefix: s });
  const kinds: string[] = [];
  for await (const message of subscription) {
    kinds.push(message.kind);
    if (message.kind === "caughtUp") break;
  }
  assert.deepEqual(kinds, ["event", "caughtUp"]);
});

test("a read-only token reads, and its append is refused with PermissionDeniedError", async () => {
  const s = uniqueStream("tls");
  await connect().append(s, [jsonEvent("Placed", {})]);
  const reader = connect("reader.token");
  assert.equal((await reader.readStream(s).toArray()).length, 1);
  await assert.rejects(reader.append(s, [jsonEvent("Placed", {})]), (error) => error instanceof PermissionDeniedError && /may not write/.test(error.message));
});

test("a wrong token is refused with UnauthenticatedError on every call", async () => {
  const client = connect("writer.token", { token: "0".repeat(64) });
  await assert.rejects(client.append(uniqueStream("tls"), [jsonEvent("Placed", {})]), (error) => error instanceof UnauthenticatedError && /unknown bearer token/.test(error.message));
  await assert.rejects(client.readAll().toArray(), UnauthenticatedError);
  await assert.rejects(
    (async () => {
      for await (const _ of client.subscribe()) break;
    })(),
    UnauthenticatedError,
  );
});

test("without a client certificate the handshake fails (UnavailableError)", async () => {
  const client = new EventStoreClient(server.target, { caCert: file("ca.crt"), token: file("writer.token").toString("utf8"), timeoutMs: 5_000 });
  clients.push(client);
  await assert.rejects(client.append(uniqueStream("tls"), [jsonEvent("Placed", {})]), UnavailableError);
});

for (const c of permissionCases) {
  test(`lifecycle permissions: ${c.name}`, async () => {
    const s = uniqueStream("tls");
    await connect("admin.token").append(s, [jsonEvent("Placed", {})], noStream);
    await runStep(connect(c.token), s, c);
  });
}
