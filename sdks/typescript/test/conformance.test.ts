// The cases every SDK runs (sdks/conformance/cases.json), against a real eventstored.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import * as es from "@eventstore/client";
import { expectedVersion, runStep, type ExpectedSpec, type LifecycleStep } from "./lifecycle-steps";
import { serveClient, uniqueStream } from "./server";

interface Cases {
  stream_events: number;
  read_stream: { name: string; direction: es.Direction; from_version: number | null; page_size: number | null; limit: number | null; versions: number[] }[];
  read_all: { name: string; page_size: number | null; limit: number | null; versions: number[] }[];
  append: { name: string; expected: ExpectedSpec; error?: string; actual_version?: number; current_version?: number }[];
  decode_json: { name: string; content_type: string; payload: string; decodes: boolean }[];
  lifecycle: { name: string; stream_events?: number; steps: LifecycleStep[] }[];
}

const cases = JSON.parse(readFileSync(path.resolve(__dirname, "..", "..", "..", "conformance", "cases.json"), "utf8")) as Cases;
const n = cases.stream_events;
const set = <T>(value: T | null): T | undefined => (value === null ? undefined : value);
const versions = (events: es.RecordedEvent[]) => events.map((e) => Number(e.streamVersion));

let client: es.EventStoreClient;
serveClient((c) => (client = c));

async function fill(stream: string, count = n): Promise<void> {
  if (count === 0) return;
  await client.append(stream, Array.from({ length: count }, (_, i) => es.jsonEvent(`E${i + 1}`, { i: i + 1 })), es.noStream);
}

describe("read_stream and read_all", () => {
  const stream = uniqueStream("conformance");
  before(() => fill(stream));
  for (const c of cases.read_stream) {
    test(`read_stream: ${c.name}`, async () => {
      const options = { direction: c.direction, fromVersion: set(c.from_version), pageSize: set(c.page_size), limit: set(c.limit) };
      assert.deepEqual(versions(await client.readStream(stream, options).toArray()), c.versions);
    });
  }
  for (const c of cases.read_all) {
    test(`read_all: ${c.name}`, async () => {
      const options = { streamPrefix: stream, pageSize: set(c.page_size), limit: set(c.limit) };
      assert.deepEqual(versions(await client.readAll(options).toArray()), c.versions);
    });
  }
});

describe("append", () => {
  for (const c of cases.append) {
    test(c.name, async () => {
      const stream = uniqueStream("conformance");
      await fill(stream);
      const appending = client.append(stream, [es.jsonEvent("Next", {})], expectedVersion(c.expected));
      if (c.error) {
        const type = (es as unknown as Record<string, new (...args: never[]) => Error>)[`${c.error}Error`];
        assert.ok(type, `no error type ${c.error}Error`);
        await assert.rejects(appending, (error) => error instanceof type && (error as es.WrongExpectedVersionError).actualVersion === BigInt(c.actual_version!));
      } else {
        assert.equal((await appending).currentVersion, BigInt(c.current_version!));
      }
    });
  }
});

describe("lifecycle", () => {
  for (const c of cases.lifecycle) {
    test(c.name, async () => {
      const stream = uniqueStream("conformance");
      await fill(stream, c.stream_events ?? n);
      for (const step of c.steps) await runStep(client, stream, step);
    });
  }
});

describe("decode_json", () => {
  for (const c of cases.decode_json) {
    test(c.name, () => {
      const event = es.newEvent("T", Buffer.from(c.payload, "utf8"), { contentType: c.content_type });
      if (c.decodes) assert.deepEqual(es.decodeJsonEvent(event), JSON.parse(c.payload));
      else assert.throws(() => es.decodeJsonEvent(event));
    });
  }
});
