// The cross-SDK interop tool (see sdks/interop/interop_test.sh), run through ../interop.sh:
//   interop.sh write|verify --target HOST:PORT --stream S --vectors FILE
// write appends every vector with this SDK's helpers (expected no_stream); verify reads the stream
// and compares every event byte for byte with its vector, printing each difference (exit 1).
import { readFileSync } from "node:fs";
import {
  EventStoreClient,
  isUuidV7,
  jsonEvent,
  newEvent,
  noStream,
  proto,
  protobufEvent,
  type EventData,
  type EventOptions,
  type RecordedEvent,
} from "@eventstore/client";

interface Vector {
  kind: "json" | "proto" | "bytes";
  type_name: string;
  content_type: string;
  tenant_id: string;
  correlation_id: string;
  causation_id: string;
  headers: Record<string, string>;
  json?: unknown;
  payload_json?: string;
  global_position?: number;
  payload_hex?: string;
}

function usage(): never {
  console.error("usage: interop.sh write|verify --target HOST:PORT --stream S --vectors FILE");
  process.exit(2);
}

function parseArgs(argv: string[]) {
  const [mode, ...rest] = argv;
  if (mode !== "write" && mode !== "verify") usage();
  const options: Record<string, string> = {};
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i]!;
    const value = rest[i + 1];
    if (!key.startsWith("--") || value === undefined) usage();
    options[key.slice(2)] = value;
  }
  if (!options.target || !options.stream || !options.vectors) usage();
  return { mode, target: options.target, stream: options.stream, vectors: options.vectors };
}

function toEvent(v: Vector): EventData {
  const options: EventOptions = {
    contentType: v.content_type,
    tenantId: v.tenant_id,
    correlationId: v.correlation_id,
    causationId: v.causation_id,
    headers: v.headers,
  };
  switch (v.kind) {
    case "json":
      return jsonEvent(v.type_name, v.json, options);
    case "proto": {
      const event = protobufEvent(proto.Checkpoint, { globalPosition: BigInt(v.global_position ?? 0) }, options);
      if (event.typeName !== v.type_name) throw new Error(`the Protobuf helper made type_name ${event.typeName}, the vector says ${v.type_name}`);
      return event;
    }
    case "bytes":
      return newEvent(v.type_name, Buffer.from(v.payload_hex ?? "", "hex"), options);
    default:
      throw new Error(`unknown vector kind ${(v as Vector).kind}`);
  }
}

function expectedPayload(v: Vector): Buffer {
  return v.kind === "json" ? Buffer.from(v.payload_json ?? "", "utf8") : Buffer.from(v.payload_hex ?? "", "hex");
}

const show = (s: string) => JSON.stringify(s);

function compare(i: number, v: Vector, e: RecordedEvent): string[] {
  const diffs: string[] = [];
  const field = (name: string, want: string, got: string) => {
    if (want !== got) diffs.push(`event ${i}: ${name}: want ${show(want)}, got ${show(got)}`);
  };
  field("type_name", v.type_name, e.typeName);
  field("content_type", v.content_type, e.contentType);
  field("tenant_id", v.tenant_id, e.tenantId);
  field("correlation_id", v.correlation_id, e.correlationId);
  field("causation_id", v.causation_id, e.causationId);
  const keys = new Set([...Object.keys(v.headers), ...Object.keys(e.headers)]);
  for (const key of [...keys].sort()) {
    const want = Object.hasOwn(v.headers, key) ? v.headers[key] : undefined;
    const got = Object.hasOwn(e.headers, key) ? e.headers[key] : undefined;
    if (want !== got) diffs.push(`event ${i}: header ${show(key)}: want ${want === undefined ? "(absent)" : show(want)}, got ${got === undefined ? "(absent)" : show(got)}`);
  }
  const payload = expectedPayload(v);
  if (!payload.equals(e.payload)) diffs.push(`event ${i}: payload: want ${payload.toString("hex")}, got ${e.payload.toString("hex")}`);
  if (!isUuidV7(e.eventId)) diffs.push(`event ${i}: event_id ${show(e.eventId)} is not a UUID v7`);
  return diffs;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const vectors = (JSON.parse(readFileSync(args.vectors, "utf8")) as { events: Vector[] }).events;
  const client = new EventStoreClient(args.target, { timeoutMs: 30_000 });
  try {
    if (args.mode === "write") {
      const result = await client.append(args.stream, vectors.map(toEvent), noStream);
      console.log(`typescript: wrote ${vectors.length} events to ${args.stream} (version ${result.currentVersion})`);
      return 0;
    }
    const events = await client.readStream(args.stream).toArray();
    const diffs: string[] = [];
    if (events.length !== vectors.length) diffs.push(`stream ${args.stream}: want ${vectors.length} events, got ${events.length}`);
    for (let i = 0; i < Math.min(events.length, vectors.length); i++) diffs.push(...compare(i, vectors[i]!, events[i]!));
    for (const d of diffs) console.log(`typescript: ${args.stream}: ${d}`);
    if (diffs.length > 0) return 1;
    console.log(`typescript: ${args.stream}: all ${vectors.length} events identical`);
    return 0;
  } finally {
    client.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`typescript interop: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
