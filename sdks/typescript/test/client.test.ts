import assert from "node:assert/strict";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { before, describe, test } from "node:test";
import {
  AlreadyExistsError,
  DeadlineExceededError,
  any,
  EventStoreClient,
  EventStoreError,
  exact,
  InvalidArgumentError,
  isUuidV7,
  jsonEvent,
  newEvent,
  noStream,
  NotFoundError,
  streamExists,
  StreamDeletedError,
  WrongExpectedVersionError,
  type EventData,
} from "@eventstore/client";
import { status } from "@grpc/grpc-js";
import { serveClient, uniqueStream } from "./server";

let client: EventStoreClient;
serveClient((c) => (client = c));

const events = (n: number, type = "Counted"): EventData[] => Array.from({ length: n }, (_, i) => jsonEvent(type, { i }));

async function expectWrongVersion(promise: Promise<unknown>, streamId: string, actual: bigint): Promise<WrongExpectedVersionError> {
  const error = await promise.then(
    () => assert.fail("expected WrongExpectedVersionError"),
    (e: unknown) => e,
  );
  assert.ok(error instanceof WrongExpectedVersionError, `got ${String(error)}`);
  assert.ok(error instanceof EventStoreError);
  assert.equal(error.streamId, streamId);
  assert.equal(error.actualVersion, actual);
  return error;
}

describe("expected versions", () => {
  test("any appends whatever the version, and is the default", async () => {
    const s = uniqueStream("any");
    assert.equal((await client.append(s, events(2), any)).currentVersion, 2n);
    assert.equal((await client.append(s, events(1))).currentVersion, 3n);
  });

  test("no_stream succeeds once, then fails with the actual version", async () => {
    const s = uniqueStream("nostream");
    const result = await client.append(s, events(3), noStream);
    assert.equal(result.currentVersion, 3n);
    assert.equal(result.lastGlobalPosition - result.firstGlobalPosition, 2n);
    const error = await expectWrongVersion(client.append(s, events(1), noStream), s, 3n);
    assert.deepEqual(error.expected, noStream);
  });

  test("stream_exists fails on no stream with actual 0, then succeeds on an existing stream", async () => {
    const s = uniqueStream("exists");
    const error = await expectWrongVersion(client.append(s, events(1), streamExists), s, 0n);
    assert.deepEqual(error.expected, streamExists);
    await client.append(s, events(1), noStream);
    assert.equal((await client.append(s, events(1), streamExists)).currentVersion, 2n);
  });

  test("exact(n) succeeds at n and fails elsewhere with the typed error and actual version", async () => {
    const s = uniqueStream("exact");
    await client.append(s, events(3), noStream);
    const error = await expectWrongVersion(client.append(s, events(1), exact(2)), s, 3n);
    assert.deepEqual(error.expected, exact(2));
    assert.match(error.message, /expected exact 2, actual 3/);
    assert.equal((await client.append(s, events(1), exact(3))).currentVersion, 4n);
    // nothing was written by the refused append
    assert.equal((await client.readStream(s).toArray()).length, 4);
  });

  test("exact(0) means no stream", async () => {
    const s = uniqueStream("exact0");
    assert.equal((await client.append(s, events(1), exact(0))).currentVersion, 1n);
    await expectWrongVersion(client.append(s, events(1), exact(0)), s, 1n);
  });
});

describe("paging", () => {
  const s = uniqueStream("paging");
  before(async () => {
    await client.append(s, events(10), noStream);
  });

  test("forward, in pages of 3, every version once in order", async () => {
    const read = await client.readStream(s, { pageSize: 3 }).toArray();
    assert.deepEqual(read.map((e) => e.streamVersion), [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n]);
    assert.deepEqual(read.map((e) => e.payload.toString()), Array.from({ length: 10 }, (_, i) => `{"i":${i}}`));
  });

  test("forward from a version, with a total limit", async () => {
    const read = await client.readStream(s, { fromVersion: 4, pageSize: 2, limit: 5 }).toArray();
    assert.deepEqual(read.map((e) => e.streamVersion), [4n, 5n, 6n, 7n, 8n]);
  });

  test("backward, in pages of 3, from the last down to 1", async () => {
    const read = await client.readStream(s, { direction: "backward", pageSize: 3 }).toArray();
    assert.deepEqual(read.map((e) => e.streamVersion), [10n, 9n, 8n, 7n, 6n, 5n, 4n, 3n, 2n, 1n]);
  });

  test("a limit below the page size asks for just those events; a limit of 0 reads nothing", async () => {
    const read = await client.readStream(s, { direction: "backward", pageSize: 100, limit: 3 }).toArray();
    assert.deepEqual(read.map((e) => e.streamVersion), [10n, 9n, 8n]);
    assert.deepEqual(await client.readAll({ streamPrefix: s, limit: 0 }).toArray(), []);
  });

  test("a deadline ends a call to a server that does not answer; a call's own deadline wins", async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket)); // never speaks HTTP/2
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const target = `127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const unbounded = new EventStoreClient(target, { timeoutMs: Infinity });
    const hurried = new EventStoreClient(target, { timeoutMs: 200 });
    try {
      await assert.rejects(unbounded.append(s, [jsonEvent("Late", {})], any, { timeoutMs: 200 }), DeadlineExceededError);
      await assert.rejects(unbounded.readAll({ timeoutMs: 200 }).toArray(), DeadlineExceededError);
      await assert.rejects(hurried.readStream(s).toArray(), DeadlineExceededError);
    } finally {
      unbounded.close();
      hurried.close();
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  test("backward from the middle", async () => {
    const read = await client.readStream(s, { direction: "backward", fromVersion: 5, pageSize: 2 }).toArray();
    assert.deepEqual(read.map((e) => e.streamVersion), [5n, 4n, 3n, 2n, 1n]);
  });

  test("single pages expose the server's paging fields", async () => {
    const first = await client.readStreamPage(s, { pageSize: 4 });
    assert.equal(first.nextFromVersion, 5n);
    assert.equal(first.endOfStream, false);
    const lastBackward = await client.readStreamPage(s, { direction: "backward", fromVersion: 2, pageSize: 5 });
    assert.deepEqual(lastBackward.events.map((e) => e.streamVersion), [2n, 1n]);
    assert.equal(lastBackward.nextFromVersion, 0n);
    assert.equal(lastBackward.endOfStream, true);
  });

  test("a stream larger than the server's default page is read whole", async () => {
    const big = uniqueStream("big");
    await client.append(big, events(250), noStream);
    assert.equal((await client.readStream(big).toArray()).length, 250);
    assert.equal((await client.readStream(big, { direction: "backward" }).toArray()).length, 250);
  });
});

describe("readAll", () => {
  test("with a prefix: only those streams, in global order, across pages", async () => {
    const prefix = uniqueStream("ra") + "/";
    await client.append(prefix + "a", events(3), noStream);
    await client.append(uniqueStream("other"), events(4), noStream);
    await client.append(prefix + "b", events(2), noStream);
    await client.append(prefix + "a", events(2), exact(3));
    const read = await client.readAll({ streamPrefix: prefix, pageSize: 2 }).toArray();
    assert.deepEqual(read.map((e) => e.streamId), [...Array(3).fill(prefix + "a"), ...Array(2).fill(prefix + "b"), ...Array(2).fill(prefix + "a")]);
    const positions = read.map((e) => e.globalPosition);
    assert.deepEqual([...positions].sort((x, y) => (x < y ? -1 : 1)), positions);
  });

  test("after a position, and everything with no prefix", async () => {
    const all = await client.readAll().toArray();
    assert.ok(all.length > 0);
    assert.deepEqual(all.map((e) => e.globalPosition), all.map((_, i) => BigInt(i + 1)));
    const tail = await client.readAll({ afterPosition: all.length - 2 }).toArray();
    assert.deepEqual(tail.map((e) => e.globalPosition), [BigInt(all.length - 1), BigInt(all.length)]);
    const page = await client.readAllPage({ afterPosition: all.length + 100 });
    assert.equal(page.events.length, 0);
    assert.equal(page.reachedHead, true);
  });
});

describe("round trip", () => {
  test("metadata and payloads come back byte for byte", async () => {
    const s = uniqueStream("roundtrip");
    const sent: EventData[] = [
      newEvent("Bytes", Buffer.from([0, 1, 0, 0, 255, 0]), {
        contentType: "application/octet-stream",
        tenantId: "tenant ✓ é",
        correlationId: "corr-😀",
        causationId: "",
        headers: { "": "empty key", "empty value": "", ключ: "значение", "emoji 😀": "✓", __proto__x: "1" },
      }),
      newEvent("Empty", new Uint8Array(), { contentType: "", tenantId: "", correlationId: "", causationId: "" }),
      newEvent("Big", Buffer.alloc(200_002, 7)),
    ];
    await client.append(s, sent, noStream);
    const [fromStream, fromAll] = [await client.readStream(s).toArray(), await client.readAll({ streamPrefix: s }).toArray()];
    for (const read of [fromStream, fromAll]) {
      assert.equal(read.length, sent.length);
      read.forEach((got, i) => {
        const want = sent[i]!;
        assert.equal(got.streamId, s);
        assert.equal(got.eventId, want.eventId);
        assert.ok(isUuidV7(got.eventId));
        assert.equal(got.typeName, want.typeName);
        assert.equal(got.contentType, want.contentType);
        assert.equal(got.tenantId, want.tenantId);
        assert.equal(got.correlationId, want.correlationId);
        assert.equal(got.causationId, want.causationId);
        assert.deepEqual(got.headers, want.headers);
        assert.ok(Buffer.from(want.payload).equals(got.payload), `payload ${i}`);
        assert.ok(got.recordedAt instanceof Date);
      });
    }
  });

  test("a response over 4 MiB is received (the client raises gRPC's receive limit)", async () => {
    const s = uniqueStream("large");
    await client.append(s, [newEvent("Large", Buffer.alloc(3 * 1024 * 1024, 1))], noStream);
    await client.append(s, [newEvent("Large", Buffer.alloc(3 * 1024 * 1024, 2))], exact(1));
    const page = await client.readStreamPage(s, { pageSize: 10 });
    assert.equal(page.events.length, 2);
    assert.equal(page.events[1]!.payload[0], 2);
  });

  test("a retry with the same ids is idempotent and returns the original result", async () => {
    const s = uniqueStream("retry");
    const batch = events(2);
    const first = await client.append(s, batch, noStream);
    const again = await client.append(s, batch, noStream);
    assert.deepEqual(again, first);
    assert.equal((await client.readStream(s).toArray()).length, 2);
  });
});

describe("errors", () => {
  test("reading a stream that does not exist: NotFoundError", async () => {
    await assert.rejects(client.readStream(uniqueStream("missing")).toArray(), (e: unknown) => e instanceof NotFoundError && e instanceof EventStoreError && /not found/.test(e.message));
  });

  test("reusing an event id in another stream: AlreadyExistsError", async () => {
    const event = jsonEvent("Once", {});
    await client.append(uniqueStream("first"), [event]);
    await assert.rejects(client.append(uniqueStream("second"), [event]), (e: unknown) => e instanceof AlreadyExistsError && /already stored/.test(e.message));
  });

  test("bad input: InvalidArgumentError naming the field", async () => {
    await assert.rejects(client.append("", events(1)), (e: unknown) => e instanceof InvalidArgumentError && /stream_id/.test(e.message));
    await assert.rejects(client.append(uniqueStream("noevents"), []), (e: unknown) => e instanceof InvalidArgumentError && /events/.test(e.message));
    await assert.rejects(client.append(uniqueStream("notype"), [newEvent("")]), (e: unknown) => e instanceof InvalidArgumentError && /type_name/.test(e.message));
    await assert.rejects(client.append(uniqueStream("badid"), [newEvent("T", undefined, { eventId: "not-a-uuid" })]), (e: unknown) => e instanceof InvalidArgumentError && /event_id/.test(e.message));
    await assert.rejects(client.readStream("").toArray(), InvalidArgumentError);
  });
});

describe("stream lifecycle", () => {
  test("retention in milliseconds (whole microseconds) reads back; then truncate, delete, tombstone and StreamDeletedError's codes", async () => {
    const s = uniqueStream("lifecycle");
    await client.append(s, events(3), noStream);
    const retained = await client.setStreamRetention(s, { maxCount: 2, maxAgeMs: 3_600_000.5 });
    assert.deepEqual(retained.retention, { maxCount: 2n, maxAgeMs: 3_600_000.5 });
    assert.equal((await client.truncateStream(s, 3n)).truncateBefore, 3n);
    assert.deepEqual((await client.readStream(s).toArray()).map((e) => e.streamVersion), [3n]);
    const deleted = await client.deleteStream(s, exact(3));
    assert.deepEqual([deleted.deleted, deleted.tombstoned, deleted.lastVersion], [true, false, 3n]);
    assert.deepEqual(await client.getStreamState(s), deleted);
    assert.equal((await client.tombstoneStream(s)).tombstoned, true);
    await assert.rejects(client.append(s, events(1)), (e: unknown) => e instanceof StreamDeletedError && e.code === status.FAILED_PRECONDITION && e.streamId === s);
    await assert.rejects(client.readStream(s).toArray(), (e: unknown) => e instanceof StreamDeletedError && e.code === status.NOT_FOUND);
  });

  test("arguments outside uint64 or a negative age are refused before the call", async () => {
    await assert.rejects(client.truncateStream("s", -1), RangeError);
    await assert.rejects(client.truncateStream("s", 1.5), RangeError);
    await assert.rejects(client.setStreamRetention("s", { maxAgeMs: -1 }), RangeError);
    await assert.rejects(client.setStreamRetention("s", { maxAgeMs: 0.0001 }), RangeError);
    await assert.rejects(client.setStreamRetention("s", { maxCount: 1n << 64n }), RangeError);
  });
});
