import type { ExpectedVersion as ProtoExpectedVersion } from "./generated/eventstore/v1/eventstore";

/** The optimistic-concurrency condition of an append. Make one with the helpers below. */
export type ExpectedVersion =
  | { readonly kind: "any" }
  | { readonly kind: "noStream" }
  | { readonly kind: "streamExists" }
  | { readonly kind: "exact"; readonly version: bigint };

/** Append whatever the stream's version. */
export const any: ExpectedVersion = Object.freeze({ kind: "any" });
/** Append only if the stream has no event yet (same as exact(0)). */
export const noStream: ExpectedVersion = Object.freeze({ kind: "noStream" });
/** Append only if the stream has at least one event. */
export const streamExists: ExpectedVersion = Object.freeze({ kind: "streamExists" });
/** Append only if the stream is at exactly this version (1-based; exact(0) means no stream). */
export function exact(version: number | bigint): ExpectedVersion {
  const v = BigInt(version);
  if (v < 0n || v >= 1n << 64n) throw new RangeError(`expected version ${version} is outside uint64`);
  return Object.freeze({ kind: "exact", version: v });
}

/** The expected-version helpers as one namespace: `ExpectedVersions.exact(3)`. */
export const ExpectedVersions = { any, noStream, streamExists, exact } as const;

export function toProtoExpectedVersion(expected: ExpectedVersion): ProtoExpectedVersion {
  switch (expected.kind) {
    case "any":
      return { kind: { $case: "any", any: {} } };
    case "noStream":
      return { kind: { $case: "noStream", noStream: {} } };
    case "streamExists":
      return { kind: { $case: "streamExists", streamExists: {} } };
    case "exact":
      return { kind: { $case: "exact", exact: expected.version } };
  }
}

export function fromProtoExpectedVersion(expected: ProtoExpectedVersion | undefined): ExpectedVersion | undefined {
  const kind = expected?.kind;
  if (!kind) return undefined;
  switch (kind.$case) {
    case "any":
      return any;
    case "noStream":
      return noStream;
    case "streamExists":
      return streamExists;
    case "exact":
      return exact(kind.exact);
  }
}

/** Human-readable form: "any", "no stream", "stream exists", "exact 3". */
export function describeExpectedVersion(expected: ExpectedVersion | undefined): string {
  if (!expected) return "unset (any)";
  switch (expected.kind) {
    case "any":
      return "any";
    case "noStream":
      return "no stream";
    case "streamExists":
      return "stream exists";
    case "exact":
      return `exact ${expected.version}`;
  }
}
