// What a subscription yields for each kind of server message (event, batch, checkpoint, caught_up),
// without a server: a Subscription takes the gRPC client, so these tests give it one that plays
// scripted calls, and look at each request it was sent.
import assert from "node:assert/strict";
import { status } from "@grpc/grpc-js";
import { describe, test } from "node:test";
import { DEFAULT_MAX_BATCH_EVENTS, Subscription, type SubscriptionMessage } from "@eventstore/client";

type GrpcClient = ConstructorParameters<typeof Subscription>[0];
interface Request {
  afterGlobalPosition: bigint;
  streamPrefix: string;
  maxBatchEvents: number;
}

const recorded = (position: number) => ({
  streamId: "s",
  streamVersion: BigInt(position),
  globalPosition: BigInt(position),
  metadata: undefined,
  payload: Buffer.alloc(0),
  recordedAt: undefined,
});
const event = (position: number) => ({ message: { $case: "event", event: recorded(position) } });
const batch = (...positions: number[]) => ({ message: { $case: "batch", batch: { events: positions.map(recorded) } } });
const checkpoint = (position: number) => ({ message: { $case: "checkpoint", checkpoint: { globalPosition: BigInt(position) } } });
const caughtUp = (position: number) => ({ message: { $case: "caughtUp", caughtUp: { globalPosition: BigInt(position) } } });
const unavailable = () => Object.assign(new Error("14 UNAVAILABLE: shutting down"), { code: status.UNAVAILABLE, details: "shutting down" });

/** A gRPC client whose Subscribe calls play the scripts in turn: messages, then an error to throw or the end. */
function scripted(...scripts: object[][]): { grpc: GrpcClient; requests: Request[] } {
  const requests: Request[] = [];
  const grpc = {
    subscribe(request: Request) {
      requests.push(request);
      const script = scripts.shift() ?? [];
      return {
        cancel() {},
        async *[Symbol.asyncIterator]() {
          for (const step of script) {
            if (step instanceof Error) throw step;
            yield step;
          }
        },
      };
    },
  };
  return { grpc: grpc as unknown as GrpcClient, requests };
}

const seen = (m: SubscriptionMessage) => `${m.kind}@${m.position}`;

describe("subscription messages (scripted gRPC client)", () => {
  test("a batch is yielded one event at a time, and lastPosition follows what was yielded", async () => {
    const { grpc, requests } = scripted([batch(1, 2, 3)]);
    const subscription = new Subscription(grpc, 0n, "s", DEFAULT_MAX_BATCH_EVENTS, undefined, undefined);
    const got: string[] = [];
    for await (const m of subscription) got.push(`${seen(m)} last=${subscription.lastPosition}`);
    assert.deepEqual(got, ["event@1 last=1", "event@2 last=2", "event@3 last=3"]);
    assert.deepEqual(requests, [{ afterGlobalPosition: 0n, streamPrefix: "s", maxBatchEvents: 500 }]);
  });

  test("events, batches, checkpoints and caught_up keep their order", async () => {
    const { grpc } = scripted([event(1), batch(2, 3), checkpoint(5), batch(6), caughtUp(6), event(7), batch(8, 9)]);
    const got: string[] = [];
    for await (const m of new Subscription(grpc, 0n, "s", 500, undefined, undefined)) got.push(seen(m));
    assert.deepEqual(got, ["event@1", "event@2", "event@3", "checkpoint@5", "event@6", "caughtUp@6", "event@7", "event@8", "event@9"]);
  });

  test("close() or a break mid-batch yields nothing more and keeps the last yielded position", async () => {
    const { grpc } = scripted([batch(4, 5, 6), event(7)]);
    const closed = new Subscription(grpc, 3n, "s", 500, undefined, undefined);
    const got: string[] = [];
    for await (const m of closed) {
      got.push(seen(m));
      closed.close();
    }
    assert.deepEqual(got, ["event@4"]);
    assert.equal(closed.lastPosition, 4n);

    const broken = new Subscription(scripted([batch(4, 5, 6)]).grpc, 3n, "s", 500, undefined, undefined);
    for await (const m of broken) if (m.position === 5n) break;
    assert.equal(broken.lastPosition, 5n);
    assert.ok(broken.isClosed);
  });

  test("after UNAVAILABLE it resumes after the last event yielded, asking for batches again", async () => {
    const { grpc, requests } = scripted([batch(1, 2), checkpoint(4), unavailable()], [caughtUp(4), batch(5, 6)]);
    const subscription = new Subscription(grpc, 0n, "s", 500, { initialDelayMs: 0 }, undefined);
    const got: string[] = [];
    for await (const m of subscription) got.push(seen(m));
    assert.deepEqual(got, ["event@1", "event@2", "checkpoint@4", "caughtUp@4", "event@5", "event@6"]);
    assert.deepEqual(
      requests.map((r) => [r.afterGlobalPosition, r.maxBatchEvents]),
      [
        [0n, 500],
        [4n, 500],
      ],
    );
    assert.equal(subscription.resumes, 1);
  });

  test("0 asks for one event per message; a count out of range is refused", async () => {
    const { grpc, requests } = scripted([event(1)]);
    const got: string[] = [];
    for await (const m of new Subscription(grpc, 0n, "s", 0, undefined, undefined)) got.push(seen(m));
    assert.deepEqual(got, ["event@1"]);
    assert.equal(requests[0]!.maxBatchEvents, 0);
    for (const bad of [-1, 1.5, 2 ** 32]) assert.throws(() => new Subscription(grpc, 0n, "s", bad, undefined, undefined), RangeError);
  });
});
