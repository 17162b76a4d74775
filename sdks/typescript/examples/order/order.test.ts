// Given/When/Then tests of the Order aggregate against a real eventstored.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decodeJsonEvent, EventStoreClient, exact, noStream, WrongExpectedVersionError } from "@eventstore/client";
import { serveClient, uniqueStream } from "../../test/server";
import { handle, load, OrderRejected, streamOf, toEventData, type OrderCommand, type OrderEvent } from "./order";

let client: EventStoreClient;
serveClient((c) => (client = c));

/** Given: these events are the order's history. */
async function given(orderId: string, events: OrderEvent[]): Promise<void> {
  if (events.length > 0) await client.append(streamOf(orderId), events.map((e) => toEventData(e)), noStream);
}

/** Then: the events the stream holds after the given history. */
async function thenEvents(orderId: string, afterVersion: number): Promise<{ type: string; data: unknown }[]> {
  const read = await client.readStream(streamOf(orderId), { fromVersion: afterVersion + 1 }).toArray();
  return read.map((e) => ({ type: e.typeName, data: decodeJsonEvent(e) }));
}

const placed: OrderEvent = { type: "OrderPlaced", data: { orderId: "x", customer: "ada" } };
const line: OrderEvent = { type: "LineAdded", data: { sku: "book", qty: 2, price: 21 } };

describe("Order", () => {
  test("given no history, when Place, then OrderPlaced", async () => {
    const id = uniqueStream("o");
    await given(id, []);
    const result = await handle(client, id, { type: "Place", customer: "ada" });
    assert.equal(result.version, 1n);
    assert.deepEqual(await thenEvents(id, 0), [{ type: "OrderPlaced", data: { orderId: id, customer: "ada" } }]);
  });

  test("given a placed order with a line, when Pay the total, then OrderPaid appended at exact(2)", async () => {
    const id = uniqueStream("o");
    await given(id, [placed, line]);
    const result = await handle(client, id, { type: "Pay", amount: 42 });
    assert.deepEqual(result, { version: 3n, attempts: 1 });
    assert.deepEqual(await thenEvents(id, 2), [{ type: "OrderPaid", data: { amount: 42 } }]);
    const [paid] = await client.readStream(streamOf(id), { fromVersion: 3 }).toArray();
    const [lineEvent] = await client.readStream(streamOf(id), { fromVersion: 2, limit: 1 }).toArray();
    assert.equal(paid!.causationId, lineEvent!.eventId, "causation: the last event handled");
  });

  test("given an unpaid order, when Ship, then refused and nothing appended", async () => {
    const id = uniqueStream("o");
    await given(id, [placed, line]);
    await assert.rejects(handle(client, id, { type: "Ship", carrier: "post" }), OrderRejected);
    assert.deepEqual(await thenEvents(id, 2), []);
  });

  test("when a concurrent writer wins, the handler reloads and retries with the new version", async () => {
    const id = uniqueStream("o");
    await given(id, [placed, line]);
    const command: OrderCommand = { type: "AddLine", sku: "pen", qty: 1, price: 3 };
    const result = await handle(client, id, command, {
      beforeAppend: async (attempt) => {
        // the other writer appends between our load (version 2) and our append
        if (attempt === 1) await client.append(streamOf(id), [toEventData({ type: "LineAdded", data: { sku: "ink", qty: 1, price: 5 } })], exact(2));
      },
    });
    assert.deepEqual(result, { version: 4n, attempts: 2 });
    assert.deepEqual((await thenEvents(id, 2)).map((e) => e.data), [{ sku: "ink", qty: 1, price: 5 }, { sku: "pen", qty: 1, price: 3 }]);
    assert.equal((await load(client, id)).state.total, 50);
  });

  test("when a concurrent payment wins, the retry sees it and refuses to pay twice", async () => {
    const id = uniqueStream("o");
    await given(id, [placed, line]);
    await assert.rejects(
      handle(client, id, { type: "Pay", amount: 42 }, {
        beforeAppend: async (attempt) => {
          if (attempt === 1) await client.append(streamOf(id), [toEventData({ type: "OrderPaid", data: { amount: 42 } })], exact(2));
        },
      }),
      /already paid/,
    );
    assert.deepEqual((await thenEvents(id, 2)).map((e) => e.type), ["OrderPaid"]);
  });

  test("when the writer keeps losing, the WrongExpectedVersionError surfaces after maxAttempts", async () => {
    const id = uniqueStream("o");
    await given(id, [placed]);
    let other = 1n;
    await assert.rejects(
      handle(client, id, { type: "AddLine", sku: "a", qty: 1, price: 1 }, {
        maxAttempts: 2,
        beforeAppend: async () => {
          other = (await client.append(streamOf(id), [toEventData(line)], exact(other))).currentVersion;
        },
      }),
      (e: unknown) => e instanceof WrongExpectedVersionError && e.actualVersion === 3n,
    );
  });
});
