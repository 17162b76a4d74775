import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  EventStoreClient,
  jsonEvent,
  noStream,
  UnavailableError,
  type EventData,
  type Subscription,
  type SubscriptionMessage,
} from "@eventstore/client";
import { serveClient, TestServer, uniqueStream } from "./server";

const events = (n: number): EventData[] => Array.from({ length: n }, (_, i) => jsonEvent("Counted", { i }));

/** Reads messages from a subscription's iterator with a timeout per message. */
class Reader {
  private readonly iterator: AsyncIterator<SubscriptionMessage>;
  constructor(readonly subscription: Subscription) {
    this.iterator = subscription[Symbol.asyncIterator]();
  }
  async next(timeoutMs = 10_000): Promise<SubscriptionMessage | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no subscription message within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const result = await Promise.race([this.iterator.next(), timeout]);
      return result.done ? undefined : result.value;
    } finally {
      clearTimeout(timer);
    }
  }
  async take(n: number): Promise<SubscriptionMessage[]> {
    const out: SubscriptionMessage[] = [];
    while (out.length < n) {
      const m = await this.next();
      if (!m) throw new Error(`subscription ended after ${out.length} of ${n} messages`);
      out.push(m);
    }
    return out;
  }
  async close(): Promise<void> {
    this.subscription.close();
    await this.iterator.return?.(undefined);
  }
}

const summary = (messages: SubscriptionMessage[]) =>
  messages.map((m) => (m.kind === "event" ? `event ${m.event.streamId}@${m.position}` : `${m.kind}@${m.position}`));

describe("subscribe (one shared server)", () => {
  let client: EventStoreClient;
  serveClient((c) => (client = c));

  test("catch-up, then caught_up once, then live events, with no gap or duplicate", async () => {
    const s = uniqueStream("sub");
    const history = await client.append(s, events(3), noStream);
    await client.append(uniqueStream("elsewhere"), events(2));
    const reader = new Reader(client.subscribe({ streamPrefix: s }));
    try {
      const caughtUp = await reader.take(4);
      assert.deepEqual(summary(caughtUp.slice(0, 3)), [1n, 2n, 3n].map((i) => `event ${s}@${history.firstGlobalPosition + i - 1n}`));
      assert.equal(caughtUp[3]!.kind, "caughtUp");
      const live = await client.append(s, events(2));
      const liveMessages: SubscriptionMessage[] = [];
      while (liveMessages.filter((m) => m.kind === "event").length < 2) {
        const m = (await reader.next())!;
        assert.notEqual(m.kind, "caughtUp", "caught_up comes once");
        liveMessages.push(m);
      }
      const liveEvents = liveMessages.flatMap((m) => (m.kind === "event" ? [m.event] : []));
      assert.deepEqual(liveEvents.map((e) => e.globalPosition), [live.firstGlobalPosition, live.lastGlobalPosition]);
      assert.deepEqual(liveEvents.map((e) => e.streamVersion), [4n, 5n]);
    } finally {
      await reader.close();
    }
  });

  test("after a position: delivery starts after it", async () => {
    const s = uniqueStream("after");
    const r = await client.append(s, events(4), noStream);
    const reader = new Reader(client.subscribe({ streamPrefix: s, afterPosition: r.firstGlobalPosition + 1n }));
    try {
      const got = await reader.take(3);
      assert.deepEqual(summary(got), [`event ${s}@${r.firstGlobalPosition + 2n}`, `event ${s}@${r.lastGlobalPosition}`, `caughtUp@${r.lastGlobalPosition}`]);
    } finally {
      await reader.close();
    }
  });

  test("checkpoints while the prefix filter skips many events", async () => {
    const before = (await client.readAllPage({ afterPosition: 0, pageSize: 1000 })).lastScannedPosition;
    await client.append(uniqueStream("noise"), events(1500));
    const reader = new Reader(client.subscribe({ streamPrefix: uniqueStream("nothing-matches"), afterPosition: before }));
    try {
      const got: SubscriptionMessage[] = [];
      for (let m = await reader.next(); m && m.kind !== "caughtUp"; m = await reader.next()) got.push(m);
      assert.ok(got.some((m) => m.kind === "checkpoint"), `expected a checkpoint before caught_up, got ${summary(got)}`);
      assert.ok(got.every((m) => m.kind === "checkpoint"));
    } finally {
      await reader.close();
    }
  });

  test("batched (the default) and one event per message: the same messages, whether the server batches or not", async () => {
    const s = uniqueStream("batch");
    await client.append(`${s}-a`, events(7), noStream);
    await client.append(`${s}-b`, events(5), noStream);
    const untilCaughtUp = async (maxBatchEvents?: number) => {
      const subscription = client.subscribe({ streamPrefix: s, maxBatchEvents });
      const got: string[] = [];
      for await (const m of subscription) {
        if (m.kind === "checkpoint") continue;
        got.push(`${m.kind}@${m.position}`);
        if (m.kind === "caughtUp") break;
      }
      return { got, lastPosition: subscription.lastPosition };
    };
    const batched = await untilCaughtUp(3);
    assert.deepEqual(await untilCaughtUp(0), batched);
    assert.deepEqual(await untilCaughtUp(), batched);
    assert.deepEqual(batched.got.map((m) => m.split("@")[0]), [...Array(12).fill("event"), "caughtUp"]);
  });

  test("close() and an abort signal end the iteration without an error", async () => {
    const s = uniqueStream("close");
    await client.append(s, events(1), noStream);
    const subscription = client.subscribe({ streamPrefix: s });
    const seen: string[] = [];
    setTimeout(() => subscription.close(), 300);
    for await (const m of subscription) if (m.kind !== "checkpoint") seen.push(m.kind);
    assert.deepEqual(seen, ["event", "caughtUp"]);

    const controller = new AbortController();
    const aborted: string[] = [];
    setTimeout(() => controller.abort(), 300);
    for await (const m of client.subscribe({ streamPrefix: s, signal: controller.signal })) if (m.kind !== "checkpoint") aborted.push(m.kind);
    assert.deepEqual(aborted, ["event", "caughtUp"]);
  });
});

describe("subscribe when the server shuts down", () => {
  test("without resume: the iteration throws UnavailableError", async () => {
    const server = await TestServer.start();
    const client = new EventStoreClient(server.target, { timeoutMs: 30_000 });
    try {
      const s = uniqueStream("down");
      await client.append(s, events(2), noStream);
      const reader = new Reader(client.subscribe({ streamPrefix: s }));
      assert.deepEqual((await reader.take(3)).map((m) => m.kind), ["event", "event", "caughtUp"]);
      const pending = reader.next().then(
        () => assert.fail("the iteration should throw"),
        (e: unknown) => e,
      );
      await server.stop();
      const error = await pending;
      assert.ok(error instanceof UnavailableError, String(error));
      assert.match(error.message, /shutting down; resume after global position 2/);
      await reader.close();
    } finally {
      client.close();
      await server.dispose();
    }
  });

  // The memory backend loses everything on restart, so the resume is checked against a server
  // restarted on the same port and re-filled with the same history in the same order (so the same
  // global positions), plus new events: the subscription must resume by itself after the last
  // position it delivered and get exactly the new events, none of the history twice.
  test("with resume: it retries while the server is down, then resumes after the last delivered position", async () => {
    const server = await TestServer.start();
    const client = new EventStoreClient(server.target, { reconnectBackoffMs: { initial: 50, max: 200 } });
    const resumes: { error: UnavailableError; afterPosition: bigint; attempt: number }[] = [];
    try {
      const s = uniqueStream("resume");
      const history = events(3);
      await client.append(s, history, noStream);
      const reader = new Reader(client.subscribe({ streamPrefix: s, resume: { initialDelayMs: 50, maxDelayMs: 200, onResume: (r) => resumes.push(r) } }));
      assert.deepEqual(summary(await reader.take(4)), [`event ${s}@1`, `event ${s}@2`, `event ${s}@3`, "caughtUp@3"]);
      const pending = reader.next(30_000);
      await server.stop();
      // let it fail to reconnect a few times while nothing listens
      for (let i = 0; i < 100 && resumes.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
      assert.ok(resumes.length >= 3, `expected several resume attempts while down, got ${resumes.length}`);
      assert.match(resumes[0]!.error.message, /shutting down; resume after global position 3/);
      assert.ok(resumes.every((r) => r.error instanceof UnavailableError && r.afterPosition === 3n));

      await server.launch();
      // A new client for the refill: the subscriber's channel may still wait in its reconnect backoff.
      const writer = new EventStoreClient(server.target, { timeoutMs: 30_000 });
      await writer.append(s, history, noStream); // the same history, at the same positions 1..3
      const fresh = events(2);
      await writer.append(s, fresh);
      writer.close();
      // The resumed call may reach the new server before or after the refill, so its new caught_up
      // can come before, between or after the new events; the events themselves are exact.
      const got = [(await pending)!];
      while (got.filter((m) => m.kind === "event").length < 2) got.push((await reader.next())!);
      assert.deepEqual(summary(got.filter((m) => m.kind === "event")), [`event ${s}@4`, `event ${s}@5`]);
      assert.ok(got.filter((m) => m.kind === "caughtUp").length <= 1);
      assert.deepEqual(got.flatMap((m) => (m.kind === "event" ? [m.event.eventId] : [])), fresh.map((e) => e.eventId));
      assert.ok(reader.subscription.resumes >= 1);
      await reader.close();
    } finally {
      client.close();
      await server.dispose();
    }
  });
});
