import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import {
  any,
  causedBy,
  ContentTypes,
  decodeJsonEvent,
  decodeProtobufEvent,
  describeExpectedVersion,
  encodeJson,
  encodeJsonText,
  exact,
  ExpectedVersions,
  isUuidV7,
  jsonEvent,
  newEvent,
  noStream,
  proto,
  protobufEvent,
  streamExists,
  uuidv7,
  withCausation,
} from "@eventstore/client";

const vectorsFile = path.resolve(__dirname, "..", "..", "..", "interop", "vectors.json");

describe("JSON helper", () => {
  test("matches vectors.json byte for byte", () => {
    const vectors = JSON.parse(readFileSync(vectorsFile, "utf8")) as { events: { kind: string; json?: unknown; payload_json?: string }[] };
    const jsonVectors = vectors.events.filter((v) => v.kind === "json");
    assert.ok(jsonVectors.length > 0);
    for (const v of jsonVectors) {
      assert.ok(encodeJson(v.json).equals(Buffer.from(v.payload_json!, "utf8")));
      const event = jsonEvent("T", v.json);
      assert.equal(event.contentType, "application/json");
      assert.deepEqual(decodeJsonEvent(event), v.json);
    }
  });

  test("compact, insertion order, non-ASCII as is, control characters escaped in lower case", () => {
    assert.equal(encodeJsonText({ b: 1, a: [true, null, "x"], "é": "ü😀" }), '{"b":1,"a":[true,null,"x"],"é":"ü😀"}');
    assert.equal(encodeJsonText("\u0000\u001f\n\t\"\\/\u007f"), '"\\u0000\\u001f\\n\\t\\"\\\\/\u007f"');
    assert.equal(encodeJsonText(new Map([["z", 1], ["10", 2], ["a", 3]])), '{"z":1,"10":2,"a":3}');
    assert.equal(encodeJsonText({ big: 12345678901234567890n, skip: undefined, d: new Date(0) }), '{"big":12345678901234567890,"d":"1970-01-01T00:00:00.000Z"}');
  });

  test("decodeJsonEvent takes application/json or an empty content type and refuses others", () => {
    assert.deepEqual(decodeJsonEvent(newEvent("T", Buffer.from('{"a":1}'), { contentType: "" })), { a: 1 });
    assert.throws(() => decodeJsonEvent(newEvent("T", Buffer.from("{}"), { contentType: "text/plain" })), TypeError);
    assert.throws(() => decodeJsonEvent(newEvent("T", Buffer.from("{}"), { contentType: "application/ld+json" })), TypeError);
  });
});

describe("Protobuf helper", () => {
  test("type_name is the full name, content type application/x-protobuf, payload its encoding", () => {
    const event = protobufEvent(proto.Checkpoint, { globalPosition: 300n });
    assert.equal(event.typeName, "eventstore.v1.Checkpoint");
    assert.equal(event.contentType, ContentTypes.protobuf);
    assert.equal(Buffer.from(event.payload).toString("hex"), "08ac02");
    assert.deepEqual(decodeProtobufEvent(proto.Checkpoint, event), { globalPosition: 300n });
  });

  test("decoding another message type or content type is refused; an empty content type is taken", () => {
    const event = protobufEvent(proto.Checkpoint, { globalPosition: 1n });
    assert.throws(() => decodeProtobufEvent(proto.CaughtUp, event), TypeError);
    assert.throws(() => decodeProtobufEvent(proto.Checkpoint, { ...event, contentType: "application/json" }), TypeError);
    assert.deepEqual(decodeProtobufEvent(proto.Checkpoint, { ...event, contentType: "" }), { globalPosition: 1n });
  });
});

describe("correlation and causation", () => {
  test("correlation is the handled event's correlation_id, causation its event_id", () => {
    const handled = jsonEvent("OrderPlaced", {}, { correlationId: "corr-1" });
    const next = jsonEvent("OrderPaid", {}, causedBy(handled));
    assert.equal(next.correlationId, "corr-1");
    assert.equal(next.causationId, handled.eventId);
  });

  test("an empty correlation_id falls back to the handled event's event_id", () => {
    const handled = jsonEvent("OrderPlaced", {});
    const next = withCausation(newEvent("OrderPaid"), handled);
    assert.equal(next.correlationId, handled.eventId);
    assert.equal(next.causationId, handled.eventId);
  });

  test("tenant_id is passed through as given", () => {
    assert.equal(jsonEvent("T", {}, { tenantId: "t-1" }).tenantId, "t-1");
  });
});

describe("UUID v7 event ids", () => {
  test("the helpers make a v7 on the client; ids are unique and sort in creation order", () => {
    const ids = Array.from({ length: 2000 }, () => newEvent("T").eventId);
    for (const id of ids) assert.ok(isUuidV7(id), id);
    assert.equal(new Set(ids).size, ids.length);
    assert.deepEqual([...ids].sort(), ids);
    const at = uuidv7(0x0190a4b2c3d4);
    assert.ok(at.startsWith("0190a4b2-c3d4-7"), at);
  });
});

describe("expected-version helpers", () => {
  test("any, noStream, streamExists, exact(n)", () => {
    assert.deepEqual(ExpectedVersions, { any, noStream, streamExists, exact });
    assert.equal(describeExpectedVersion(exact(3)), "exact 3");
    const three = exact(3);
    assert.equal(three.kind === "exact" ? three.version : undefined, 3n);
    assert.throws(() => exact(-1), RangeError);
  });
});
