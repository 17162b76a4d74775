import { decodeJson, encodeJson } from "./json";
import { uuidv7 } from "./uuid";

/** Content types the helpers set. */
export const ContentTypes = {
  json: "application/json",
  protobuf: "application/x-protobuf",
  octetStream: "application/octet-stream",
} as const;

/** An event to append. Every string field is sent as is (empty strings included). */
export interface EventData {
  /** Canonical UUID text; the helpers make a UUID v7 here, on the client, so a retry is idempotent. */
  eventId: string;
  typeName: string;
  contentType: string;
  tenantId: string;
  correlationId: string;
  causationId: string;
  headers: Record<string, string>;
  payload: Uint8Array;
}

/** An event as stored: its metadata and payload byte for byte, plus where and when it was stored. */
export interface RecordedEvent extends EventData {
  streamId: string;
  /** 1-based version in its stream. */
  streamVersion: bigint;
  /** 1-based position in the global log. */
  globalPosition: bigint;
  /** When the server stored it (millisecond precision here; the server keeps microseconds). */
  recordedAt: Date | undefined;
  payload: Buffer;
}

/** Optional metadata for the event helpers. Anything left out is an empty string / no header. */
export interface EventOptions {
  eventId?: string;
  contentType?: string;
  tenantId?: string;
  correlationId?: string;
  causationId?: string;
  headers?: Record<string, string> | Map<string, string>;
}

function toHeaders(headers: Record<string, string> | Map<string, string> | undefined): Record<string, string> {
  if (!headers) return {};
  return Object.fromEntries(headers instanceof Map ? headers.entries() : Object.entries(headers));
}

/** A new event with a raw payload (content type application/octet-stream unless given). */
export function newEvent(typeName: string, payload: Uint8Array = new Uint8Array(), options: EventOptions = {}): EventData {
  return {
    eventId: options.eventId ?? uuidv7(),
    typeName,
    contentType: options.contentType ?? ContentTypes.octetStream,
    tenantId: options.tenantId ?? "",
    correlationId: options.correlationId ?? "",
    causationId: options.causationId ?? "",
    headers: toHeaders(options.headers),
    payload,
  };
}

/** A new event whose payload is `value` as compact JSON (see encodeJson), content type application/json. */
export function jsonEvent(typeName: string, value: unknown, options: EventOptions = {}): EventData {
  return newEvent(typeName, encodeJson(value), { ...options, contentType: options.contentType ?? ContentTypes.json });
}

/** Parses a JSON event's payload. Throws a TypeError if the content type is neither application/json nor empty (sdks/SPEC.md, "Events"). */
export function decodeJsonEvent<T = unknown>(event: Pick<EventData, "contentType" | "payload">): T {
  if (event.contentType !== ContentTypes.json && event.contentType !== "") {
    throw new TypeError(`the event's content type is ${event.contentType}, not ${ContentTypes.json}`);
  }
  return decodeJson<T>(event.payload);
}

/**
 * A Protobuf message type as ts-proto (and protobufjs static code) generates it: `encode` returns a
 * writer with `finish()`, `decode` takes bytes, and ts-proto's `$type` is the message's full name.
 */
export interface ProtobufCodec<T> {
  readonly $type?: string;
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
}

function fullName(codec: ProtobufCodec<unknown>, typeName: string | undefined): string {
  const name = typeName ?? codec.$type;
  if (!name) throw new TypeError("the codec has no $type: pass options.typeName (the message's full name)");
  return name;
}

/**
 * A new event whose payload is `message` encoded with `codec`: type_name is the message's full
 * name (e.g. eventstore.v1.Checkpoint), content type application/x-protobuf.
 */
export function protobufEvent<T>(codec: ProtobufCodec<T>, message: T, options: EventOptions & { typeName?: string } = {}): EventData {
  const { typeName, ...rest } = options;
  const bytes = codec.encode(message).finish();
  return newEvent(fullName(codec as ProtobufCodec<unknown>, typeName), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
    ...rest,
    contentType: rest.contentType ?? ContentTypes.protobuf,
  });
}

/**
 * Decodes a Protobuf event's payload with `codec`; throws a TypeError if its content type is neither
 * application/x-protobuf nor empty, or its type_name is another message.
 */
export function decodeProtobufEvent<T>(codec: ProtobufCodec<T>, event: Pick<EventData, "typeName" | "contentType" | "payload">, typeName?: string): T {
  if (event.contentType !== ContentTypes.protobuf && event.contentType !== "") {
    throw new TypeError(`the event's content type is ${event.contentType}, not ${ContentTypes.protobuf}`);
  }
  const expected = fullName(codec as ProtobufCodec<unknown>, typeName);
  if (event.typeName !== expected) {
    throw new TypeError(`the event's type_name is ${event.typeName}, not ${expected}`);
  }
  return codec.decode(event.payload);
}

/**
 * The correlation and causation ids of an event made while handling `handled`: correlation_id is
 * the handled event's correlation_id (or its event_id if that is empty), causation_id its event_id.
 * Spread it into the helpers' options: `jsonEvent("OrderShipped", body, causedBy(handled))`.
 */
export function causedBy(handled: Pick<EventData, "eventId" | "correlationId">): { correlationId: string; causationId: string } {
  return { correlationId: handled.correlationId || handled.eventId, causationId: handled.eventId };
}

/** A copy of `event` with correlation_id and causation_id set from `handled` (see causedBy). */
export function withCausation(event: EventData, handled: Pick<EventData, "eventId" | "correlationId">): EventData {
  return { ...event, ...causedBy(handled) };
}
