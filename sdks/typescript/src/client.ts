import { credentials as grpcCredentials, Metadata, type CallOptions, type ChannelCredentials, type ChannelOptions, type ClientReadableStream } from "@grpc/grpc-js";
import {
  EventStoreClient as GrpcEventStoreClient,
  type EventData as ProtoEventData,
  type RecordedEvent as ProtoRecordedEvent,
  type StreamState as ProtoStreamState,
  type SubscribeResponse,
} from "./generated/eventstore/v1/eventstore";
import { toEventStoreError, UnavailableError } from "./errors";
import type { EventData, RecordedEvent } from "./events";
import { any, toProtoExpectedVersion, type ExpectedVersion } from "./expected";
import { fromProtoStreamState, toProtoRetention, toUint64, type RetentionOptions, type StreamState } from "./lifecycle";
import { uuidv7 } from "./uuid";

/** The defaults of sdks/SPEC.md ("Defaults and why"). */
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_KEEPALIVE_TIME_MS = 360_000;
export const DEFAULT_KEEPALIVE_TIMEOUT_MS = 20_000;

/** PEM text or bytes. */
export type Pem = string | Uint8Array;

/** How to reach the server (sdks/SPEC.md, "Connect"). Nothing is required. */
export interface ClientOptions {
  /** Speak TLS. Implied by caCert, clientCert and clientKey. Default: plaintext, as eventstored serves on loopback. */
  tls?: boolean;
  /** PEM of the CA(s) that signed the server's certificate. Default: the system's roots. */
  caCert?: Pem;
  /** PEM certificate chain and private key of this client, for mutual TLS (both or neither). */
  clientCert?: Pem;
  clientKey?: Pem;
  /** A bearer token, sent as `authorization: Bearer <token>` on every call. */
  token?: string;
  /** The default deadline of each unary call (append, one read page), in ms; each call's timeoutMs wins. Default 30000; Infinity: none. */
  timeoutMs?: number;
  /** Keepalive pings while a call is open: after this long without traffic, and the wait for the answer (defaults 360000 and 20000). */
  keepaliveTimeMs?: number;
  keepaliveTimeoutMs?: number;
  /**
   * The largest response accepted, in bytes. Default -1 (unlimited): a ReadStream/ReadAll page can
   * exceed 4 MiB by one event, and one event can hold ~4 MiB, so gRPC's 4 MiB default is too small.
   */
  maxReceiveMessageLength?: number;
  /** Your own channel credentials, instead of tls / caCert / clientCert / clientKey. */
  credentials?: ChannelCredentials;
  /** The channel's reconnect backoff: first and largest wait, in ms (defaults 250 and 5000). */
  reconnectBackoffMs?: { initial?: number; max?: number };
  /** Any other grpc-js channel option; these win over the ones above. */
  channelOptions?: ChannelOptions;
}

/** Options of one unary call. */
export interface CallSettings {
  /** This call's deadline in ms (default: the client's timeoutMs). */
  timeoutMs?: number;
}

/** The result of an append. For an idempotent retry, the original append's result. */
export interface AppendResult {
  /** The stream's version after the append (the version of its last event). */
  currentVersion: bigint;
  firstGlobalPosition: bigint;
  lastGlobalPosition: bigint;
}

export type Direction = "forward" | "backward";

export interface ReadStreamOptions extends CallSettings {
  /** Default "forward". */
  direction?: Direction;
  /** Forward: the first version to read (default 1). Backward: the highest version to read (default the last). */
  fromVersion?: number | bigint;
  /** Events per request (default 0: the server's page, 100; the server clamps to its cap, 1000). */
  pageSize?: number;
  /** The most events the whole read yields, over all pages (default: all of them). */
  limit?: number;
}

export interface ReadStreamPage {
  events: RecordedEvent[];
  nextFromVersion: bigint;
  endOfStream: boolean;
}

export interface ReadAllOptions extends CallSettings {
  /** Read events with a global position after this one (default 0: from the start). */
  afterPosition?: number | bigint;
  /** Only streams whose id starts with this (default: every stream). */
  streamPrefix?: string;
  /** Events per request, as in ReadStreamOptions. */
  pageSize?: number;
  /** The most events the whole read yields (default: up to the head). */
  limit?: number;
}

export interface ReadAllPage {
  events: RecordedEvent[];
  lastScannedPosition: bigint;
  reachedHead: boolean;
}

export interface ResumeOptions {
  /** How many times in a row to retry after UNAVAILABLE before giving up (default: forever). */
  maxAttempts?: number;
  /** Wait before the first retry, doubled each consecutive retry up to maxDelayMs (defaults 100 and 5000). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Called before each retry with the error and the position the subscription resumes after. */
  onResume?: (info: { error: UnavailableError; afterPosition: bigint; attempt: number }) => void;
}

export interface SubscribeOptions {
  /** Deliver events with a global position after this one (default 0: everything). */
  afterPosition?: number | bigint;
  /** Only streams whose id starts with this (default: every stream). */
  streamPrefix?: string;
  /**
   * Resume by itself after UNAVAILABLE (server shutting down or unreachable), from the last
   * delivered position (event, checkpoint or caught-up). Default false: the error is thrown.
   */
  resume?: boolean | ResumeOptions;
  /** Ends the subscription when aborted (iteration then simply stops). */
  signal?: AbortSignal;
  /**
   * Up to this many events in one message from the server (default 500; 0: one event per
   * message). The iteration still yields one message per event, and `lastPosition` is that of the
   * last one yielded, never the end of a batch not yet yielded.
   */
  maxBatchEvents?: number;
}

/** The events per message a subscription asks for when SubscribeOptions.maxBatchEvents is unset. */
export const DEFAULT_MAX_BATCH_EVENTS = 500;
const MAX_UINT32 = 2 ** 32 - 1;

/** One message of a subscription. `position` is the global position it stands for. */
export type SubscriptionMessage =
  | { kind: "event"; position: bigint; event: RecordedEvent }
  | { kind: "checkpoint"; position: bigint }
  | { kind: "caughtUp"; position: bigint };

/** An async iterable of events that also gathers them into an array. */
export class EventIterable implements AsyncIterable<RecordedEvent> {
  constructor(private readonly source: () => AsyncGenerator<RecordedEvent>) {}
  [Symbol.asyncIterator](): AsyncGenerator<RecordedEvent> {
    return this.source();
  }
  /** Reads everything into an array. */
  async toArray(): Promise<RecordedEvent[]> {
    const all: RecordedEvent[] = [];
    for await (const event of this) all.push(event);
    return all;
  }
}

/** One page of a paged read: its events, and whether no page follows. */
interface PageStep {
  events: RecordedEvent[];
  last: boolean;
}

/**
 * The events of a paged read (a stream, the global log), `limit` at most, fetched page by page as
 * they are consumed; each iteration reads from the start again. `start` begins a read and returns
 * its `nextPage`, which fetches the page after the one before with a request for `size` events:
 * the page size, or fewer when fewer are still wanted under the limit (0: the server's page).
 */
function paged(pageSize: number, limit: number, start: () => (size: number) => Promise<PageStep>): EventIterable {
  return new EventIterable(async function* () {
    const nextPage = start();
    let left = limit;
    while (left > 0) {
      const wanted = Math.min(pageSize > 0 ? pageSize : Infinity, left);
      const page = await nextPage(Number.isFinite(wanted) ? Math.min(wanted, MAX_UINT32) : 0);
      for (const event of page.events) {
        if (left <= 0) return;
        left -= 1;
        yield event;
      }
      if (page.last) return;
    }
  });
}

function toProtoEvent(event: EventData): ProtoEventData {
  const payload = event.payload ?? new Uint8Array();
  return {
    metadata: {
      eventId: event.eventId ?? uuidv7(),
      typeName: event.typeName,
      contentType: event.contentType ?? "",
      tenantId: event.tenantId ?? "",
      correlationId: event.correlationId ?? "",
      causationId: event.causationId ?? "",
      headers: new Map(Object.entries(event.headers ?? {})),
    },
    payload: Buffer.isBuffer(payload) ? payload : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength),
  };
}

/** Turns a stored event from the wire into the SDK's RecordedEvent. */
export function fromProtoRecordedEvent(event: ProtoRecordedEvent): RecordedEvent {
  const m = event.metadata;
  return {
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    globalPosition: event.globalPosition,
    recordedAt: event.recordedAt,
    eventId: m?.eventId ?? "",
    typeName: m?.typeName ?? "",
    contentType: m?.contentType ?? "",
    tenantId: m?.tenantId ?? "",
    correlationId: m?.correlationId ?? "",
    causationId: m?.causationId ?? "",
    headers: Object.fromEntries(m?.headers ?? []),
    payload: event.payload,
  };
}

function eventMessage(event: ProtoRecordedEvent): SubscriptionMessage {
  return { kind: "event", position: event.globalPosition, event: fromProtoRecordedEvent(event) };
}

/** What one server message carries, in order: one event, a batch's events, a checkpoint or a caught-up. */
function toMessages(response: SubscribeResponse): SubscriptionMessage[] {
  const m = response.message;
  switch (m?.$case) {
    case "event":
      return [eventMessage(m.event)];
    case "batch":
      return m.batch.events.map(eventMessage);
    case "checkpoint":
      return [{ kind: "checkpoint", position: m.checkpoint.globalPosition }];
    case "caughtUp":
      return [{ kind: "caughtUp", position: m.caughtUp.globalPosition }];
    default:
      return []; // a message kind this client does not know: skip it
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });

/**
 * A live subscription: iterate it with `for await`. Breaking out of the loop, `close()` or the
 * abort signal end it (the rest of a batch is then dropped). Iterate it once.
 */
export class Subscription implements AsyncIterable<SubscriptionMessage> {
  /** The global position of the last message delivered (where a resume starts after). */
  lastPosition: bigint;
  /** How many times it has resumed after UNAVAILABLE. */
  resumes = 0;
  private closed = false;
  private call: ClientReadableStream<SubscribeResponse> | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly grpc: GrpcEventStoreClient,
    afterPosition: bigint,
    private readonly streamPrefix: string,
    private readonly maxBatchEvents: number,
    private readonly resume: ResumeOptions | undefined,
    signal: AbortSignal | undefined,
    private readonly onEnd?: (subscription: Subscription) => void,
    /** The metadata of each Subscribe call (the bearer token). */
    private readonly metadata: () => Metadata = () => new Metadata(),
  ) {
    if (!Number.isInteger(maxBatchEvents) || maxBatchEvents < 0 || maxBatchEvents > MAX_UINT32) {
      throw new RangeError(`maxBatchEvents must be an integer from 0 (one event per message) to ${MAX_UINT32}, not ${maxBatchEvents}`);
    }
    this.lastPosition = afterPosition;
    if (signal) {
      if (signal.aborted) this.close();
      else signal.addEventListener("abort", () => this.close(), { once: true });
    }
  }

  /** Ends the subscription; a pending iteration ends without an error. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    this.call?.cancel();
    this.onEnd?.(this);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<SubscriptionMessage> {
    let attempt = 0;
    try {
      while (!this.closed) {
        let call: ClientReadableStream<SubscribeResponse> | undefined;
        try {
          call = this.grpc.subscribe(
            { afterGlobalPosition: this.lastPosition, streamPrefix: this.streamPrefix, maxBatchEvents: this.maxBatchEvents },
            this.metadata(),
          );
          this.call = call;
          for await (const response of call as AsyncIterable<SubscribeResponse>) {
            attempt = 0;
            for (const message of toMessages(response)) {
              if (this.closed) return;
              this.lastPosition = message.position;
              yield message;
            }
            if (this.closed) return;
          }
          return; // the server ended the stream without an error
        } catch (raw) {
          if (this.closed) return;
          const error = toEventStoreError(raw);
          const resume = this.resume;
          if (!(error instanceof UnavailableError) || !resume) throw error;
          attempt += 1;
          if (resume.maxAttempts !== undefined && attempt > resume.maxAttempts) throw error;
          this.resumes += 1;
          resume.onResume?.({ error, afterPosition: this.lastPosition, attempt });
          const initial = resume.initialDelayMs ?? 100;
          const max = resume.maxDelayMs ?? 5000;
          await sleep(Math.min(max, initial * 2 ** (attempt - 1)), this.abort.signal);
        } finally {
          call?.cancel();
        }
      }
    } finally {
      this.closed = true;
      this.onEnd?.(this);
    }
  }
}

function pemBuffer(pem: Pem | undefined): Buffer | null {
  if (pem === undefined) return null;
  return typeof pem === "string" ? Buffer.from(pem, "utf8") : Buffer.from(pem);
}

/** TLS credentials from the options (plaintext unless one of tls, caCert, clientCert, clientKey is set). */
function channelCredentials(options: ClientOptions): ChannelCredentials {
  if ((options.clientCert === undefined) !== (options.clientKey === undefined)) {
    throw new TypeError("clientCert and clientKey go together: give both (mutual TLS) or neither");
  }
  if (!options.tls && options.caCert === undefined && options.clientCert === undefined) return grpcCredentials.createInsecure();
  return grpcCredentials.createSsl(pemBuffer(options.caCert), pemBuffer(options.clientKey), pemBuffer(options.clientCert));
}

/**
 * A client of eventstored. One client holds one gRPC channel; share it, and `close()` it at the end.
 *
 *     const client = new EventStoreClient("127.0.0.1:50051");
 *     await client.append("Order-1", [jsonEvent("OrderPlaced", { total: 42 })], noStream);
 */
export class EventStoreClient {
  readonly grpc: GrpcEventStoreClient;
  private readonly timeoutMs: number;
  private readonly token: string | undefined;

  constructor(target: string, options: ClientOptions = {}) {
    const channelOptions: ChannelOptions = {
      "grpc.max_receive_message_length": options.maxReceiveMessageLength ?? -1,
      "grpc.max_send_message_length": -1,
      "grpc.keepalive_time_ms": options.keepaliveTimeMs ?? DEFAULT_KEEPALIVE_TIME_MS,
      "grpc.keepalive_timeout_ms": options.keepaliveTimeoutMs ?? DEFAULT_KEEPALIVE_TIMEOUT_MS,
      "grpc.keepalive_permit_without_calls": 0,
      "grpc.initial_reconnect_backoff_ms": options.reconnectBackoffMs?.initial ?? 250,
      "grpc.max_reconnect_backoff_ms": options.reconnectBackoffMs?.max ?? 5000,
      ...options.channelOptions,
    };
    this.grpc = new GrpcEventStoreClient(target, options.credentials ?? channelCredentials(options), channelOptions);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.token = options.token;
  }

  private readonly subscriptions = new Set<Subscription>();

  /** Closes the channel and every open subscription (their iterations end). Other calls in flight fail. */
  close(): void {
    for (const subscription of [...this.subscriptions]) subscription.close();
    this.grpc.close();
  }

  /** The metadata every call carries: the bearer token, if any. */
  private metadata(): Metadata {
    const metadata = new Metadata();
    if (this.token) metadata.set("authorization", `Bearer ${this.token}`);
    return metadata;
  }

  private callOptions(settings: CallSettings): Partial<CallOptions> {
    const timeoutMs = settings.timeoutMs ?? this.timeoutMs;
    return Number.isFinite(timeoutMs) ? { deadline: Date.now() + timeoutMs } : {};
  }

  private unary<Req, Res>(
    method: (req: Req, md: Metadata, opts: Partial<CallOptions>, cb: (e: unknown, r: Res) => void) => unknown,
    request: Req,
    settings: CallSettings,
  ): Promise<Res> {
    return new Promise((resolve, reject) => {
      method.call(this.grpc, request, this.metadata(), this.callOptions(settings), (error: unknown, response: Res) => {
        if (error) reject(toEventStoreError(error));
        else resolve(response);
      });
    });
  }

  /**
   * Appends events atomically to one stream. Throws WrongExpectedVersionError (with the actual
   * version) when the stream is not at `expectedVersion`, AlreadyExistsError when an event id is
   * already stored and this is not an idempotent retry, InvalidArgumentError for bad input.
   */
  async append(
    streamId: string,
    events: EventData | readonly EventData[],
    expectedVersion: ExpectedVersion = any,
    settings: CallSettings = {},
  ): Promise<AppendResult> {
    const list = Array.isArray(events) ? (events as readonly EventData[]) : [events as EventData];
    const request = { streamId, expectedVersion: toProtoExpectedVersion(expectedVersion), events: list.map(toProtoEvent) };
    const response = await this.unary(this.grpc.append as never, request, settings);
    const r = response as { currentVersion: bigint; firstGlobalPosition: bigint; lastGlobalPosition: bigint };
    return { currentVersion: r.currentVersion, firstGlobalPosition: r.firstGlobalPosition, lastGlobalPosition: r.lastGlobalPosition };
  }

  /** One ReadStream request: a single page of `pageSize` events (0: the server's page), as the server answers it. */
  async readStreamPage(
    streamId: string,
    options: { fromVersion?: number | bigint; pageSize?: number; direction?: Direction } & CallSettings = {},
  ): Promise<ReadStreamPage> {
    const request = {
      streamId,
      fromVersion: BigInt(options.fromVersion ?? 0),
      maxCount: options.pageSize ?? 0,
      forward: (options.direction ?? "forward") === "forward",
    };
    const response = (await this.unary(this.grpc.readStream as never, request, options)) as { events: ProtoRecordedEvent[]; nextFromVersion: bigint; endOfStream: boolean };
    return { events: response.events.map(fromProtoRecordedEvent), nextFromVersion: response.nextFromVersion, endOfStream: response.endOfStream };
  }

  /**
   * Reads one stream, paging for the caller: `for await (const e of client.readStream("Order-1"))`.
   * A stream that does not exist throws NotFoundError from the first iteration.
   */
  readStream(streamId: string, options: ReadStreamOptions = {}): EventIterable {
    const direction = options.direction ?? "forward";
    if (direction !== "forward" && direction !== "backward") throw new RangeError(`direction must be "forward" or "backward", not ${direction}`);
    const forward = direction === "forward";
    return paged(options.pageSize ?? 0, options.limit ?? Infinity, () => {
      let from = BigInt(options.fromVersion ?? 0);
      return async (pageSize) => {
        const page = await this.readStreamPage(streamId, { fromVersion: from, pageSize, direction, timeoutMs: options.timeoutMs });
        from = page.nextFromVersion;
        // Backward, the last page says next_from_version = 0 with end_of_stream: never pass 0 back.
        return { events: page.events, last: page.endOfStream || page.events.length === 0 || (!forward && page.nextFromVersion === 0n) };
      };
    });
  }

  /** One ReadAll request: a single page of `pageSize` events (0: the server's page), as the server answers it. */
  async readAllPage(options: { afterPosition?: number | bigint; pageSize?: number; streamPrefix?: string } & CallSettings = {}): Promise<ReadAllPage> {
    const request = {
      afterGlobalPosition: BigInt(options.afterPosition ?? 0),
      maxCount: options.pageSize ?? 0,
      streamPrefix: options.streamPrefix ?? "",
    };
    const response = (await this.unary(this.grpc.readAll as never, request, options)) as { events: ProtoRecordedEvent[]; lastScannedPosition: bigint; reachedHead: boolean };
    return { events: response.events.map(fromProtoRecordedEvent), lastScannedPosition: response.lastScannedPosition, reachedHead: response.reachedHead };
  }

  /** Reads the global log in position order up to its current head, paging for the caller. */
  readAll(options: ReadAllOptions = {}): EventIterable {
    return paged(options.pageSize ?? 0, options.limit ?? Infinity, () => {
      let after = BigInt(options.afterPosition ?? 0);
      return async (pageSize) => {
        const page = await this.readAllPage({ afterPosition: after, pageSize, streamPrefix: options.streamPrefix, timeoutMs: options.timeoutMs });
        const last = page.reachedHead || page.lastScannedPosition <= after;
        after = page.lastScannedPosition;
        return { events: page.events, last };
      };
    });
  }

  /**
   * Removes every event of a stream if `expectedVersion` holds (else WrongExpectedVersionError,
   * nothing removed). The stream then reads as missing (NotFoundError); a later append continues
   * its versions. A stream that never had an event: NotFoundError; a tombstoned one: StreamDeletedError.
   */
  async deleteStream(streamId: string, expectedVersion: ExpectedVersion = any, settings: CallSettings = {}): Promise<StreamState> {
    return this.lifecycle(this.grpc.deleteStream, { streamId, expectedVersion: toProtoExpectedVersion(expectedVersion) }, settings);
  }

  /** Deletes a stream for good: every later append or change, and a read, fail with StreamDeletedError. */
  async tombstoneStream(streamId: string, expectedVersion: ExpectedVersion = any, settings: CallSettings = {}): Promise<StreamState> {
    return this.lifecycle(this.grpc.tombstoneStream, { streamId, expectedVersion: toProtoExpectedVersion(expectedVersion) }, settings);
  }

  /** Removes the events below `beforeVersion` (capped at the end; a lower one than before changes nothing). */
  async truncateStream(streamId: string, beforeVersion: number | bigint, settings: CallSettings = {}): Promise<StreamState> {
    return this.lifecycle(this.grpc.truncateStream, { streamId, beforeVersion: toUint64("beforeVersion", beforeVersion) }, settings);
  }

  /** Keeps only the last `maxCount` events and those younger than `maxAgeMs`; replaces both limits. Allowed before the first event. */
  async setStreamRetention(streamId: string, retention: RetentionOptions, settings: CallSettings = {}): Promise<StreamState> {
    return this.lifecycle(this.grpc.setStreamRetention, { streamId, retention: toProtoRetention(retention) }, settings);
  }

  /** A stream's state; NotFoundError for a stream that never had an event nor a retention. */
  async getStreamState(streamId: string, settings: CallSettings = {}): Promise<StreamState> {
    return this.lifecycle(this.grpc.getStreamState, { streamId }, settings);
  }

  /** One lifecycle call: every one answers the stream's state. */
  private async lifecycle<Req>(method: unknown, request: Req, settings: CallSettings): Promise<StreamState> {
    return fromProtoStreamState((await this.unary(method as never, request, settings)) as ProtoStreamState);
  }

  /**
   * Subscribes to every event after a position (optionally of streams with a prefix): history
   * first, then one `caughtUp`, then live events; `checkpoint`s mark progress while the prefix
   * filter skips events. With `resume`, an UNAVAILABLE (e.g. the server shutting down) makes it
   * subscribe again after the last delivered position; after each resume the server sends a new
   * `caughtUp` when it reaches the head again.
   */
  subscribe(options: SubscribeOptions = {}): Subscription {
    const resume = options.resume === true ? {} : options.resume || undefined;
    const subscription = new Subscription(
      this.grpc,
      BigInt(options.afterPosition ?? 0),
      options.streamPrefix ?? "",
      options.maxBatchEvents ?? DEFAULT_MAX_BATCH_EVENTS,
      resume,
      options.signal,
      (s) => this.subscriptions.delete(s),
      () => this.metadata(),
    );
    if (!subscription.isClosed) this.subscriptions.add(subscription);
    return subscription;
  }
}
