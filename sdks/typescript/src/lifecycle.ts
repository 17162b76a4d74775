import type { Duration } from "./generated/google/protobuf/duration";
import type { StreamRetention as ProtoStreamRetention, StreamState as ProtoStreamState } from "./generated/eventstore/v1/eventstore";

/** What a stream keeps (sdks/SPEC.md, "Stream lifecycle"). */
export interface StreamRetention {
  /** Only the last maxCount events (0n: no limit). */
  maxCount: bigint;
  /** Only events younger than this many milliseconds (undefined: no limit). The server keeps whole microseconds. */
  maxAgeMs: number | undefined;
}

/** The retention to set: both limits replace the old ones; a limit left out is no limit. */
export interface RetentionOptions {
  /** Only the last maxCount events (default 0: no limit). */
  maxCount?: number | bigint;
  /** Only events younger than this many milliseconds (default: no limit; 0 too), sent rounded to whole microseconds (at least one). */
  maxAgeMs?: number;
}

/** A stream's state, as every lifecycle call answers it. */
export interface StreamState {
  streamId: string;
  /** The highest version ever appended; it never goes back, and expected versions compare with it. */
  lastVersion: bigint;
  /** Events with a lower version are removed. */
  truncateBefore: bigint;
  /** Every event is removed (the stream reads as missing; an append continues its versions). */
  deleted: boolean;
  /** Deleted for good: appends and changes fail with StreamDeletedError. */
  tombstoned: boolean;
  retention: StreamRetention;
}

const MAX_UINT64 = (1n << 64n) - 1n;

/** A uint64 argument, or a RangeError naming it. */
export function toUint64(name: string, value: number | bigint): bigint {
  if (typeof value === "number" && !Number.isInteger(value)) throw new RangeError(`${name} must be a whole number, not ${value}`);
  const v = BigInt(value);
  if (v < 0n || v > MAX_UINT64) throw new RangeError(`${name} ${value} is outside uint64`);
  return v;
}

function toDuration(ms: number | undefined): Duration | undefined {
  if (ms === undefined || ms === 0) return undefined;
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`maxAgeMs must be a finite number >= 0, not ${ms}`);
  const micros = BigInt(Math.round(ms * 1000));
  if (micros === 0n) throw new RangeError(`maxAgeMs ${ms} is below a microsecond: use 0 for no limit`);
  return { seconds: micros / 1_000_000n, nanos: Number(micros % 1_000_000n) * 1000 };
}

export function toProtoRetention(options: RetentionOptions): ProtoStreamRetention {
  return { maxCount: toUint64("maxCount", options.maxCount ?? 0), maxAge: toDuration(options.maxAgeMs) };
}

function fromProtoRetention(retention: ProtoStreamRetention | undefined): StreamRetention {
  const age = retention?.maxAge;
  const ms = age ? Number(age.seconds) * 1000 + age.nanos / 1_000_000 : 0;
  return { maxCount: retention?.maxCount ?? 0n, maxAgeMs: ms === 0 ? undefined : ms };
}

export function fromProtoStreamState(state: ProtoStreamState): StreamState {
  return {
    streamId: state.streamId,
    lastVersion: state.lastVersion,
    truncateBefore: state.truncateBefore,
    deleted: state.deleted,
    tombstoned: state.tombstoned,
    retention: fromProtoRetention(state.retention),
  };
}
