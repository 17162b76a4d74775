// Runs the lifecycle steps of sdks/conformance/cases.json ("lifecycle", "lifecycle_permissions"):
// one step is one call and what it must answer.
import assert from "node:assert/strict";
import * as es from "@eventstore/client";

export interface ExpectedSpec {
  kind: "any" | "no_stream" | "stream_exists" | "exact";
  version?: number;
}

export interface LifecycleStep {
  op: "append" | "read" | "delete" | "tombstone" | "truncate" | "set_retention" | "state";
  expected?: ExpectedSpec;
  before?: number;
  max_count?: number;
  max_age_ms?: number | null;
  error?: string;
  message?: string;
  actual_version?: number;
  current_version?: number;
  versions?: number[];
  state?: Record<string, unknown>;
}

export function expectedVersion(spec: ExpectedSpec): es.ExpectedVersion {
  if (spec.kind === "exact") return es.exact(spec.version!);
  return { any: es.any, no_stream: es.noStream, stream_exists: es.streamExists }[spec.kind];
}

/** The step's call, made: an AppendResult, the versions read, or a StreamState. */
async function call(client: es.EventStoreClient, stream: string, step: LifecycleStep): Promise<unknown> {
  switch (step.op) {
    case "append":
      return client.append(stream, [es.jsonEvent("Next", {})], expectedVersion(step.expected!));
    case "read":
      return (await client.readStream(stream).toArray()).map((e) => Number(e.streamVersion));
    case "delete":
      return client.deleteStream(stream, expectedVersion(step.expected!));
    case "tombstone":
      return client.tombstoneStream(stream, expectedVersion(step.expected!));
    case "truncate":
      return client.truncateStream(stream, step.before!);
    case "set_retention":
      return client.setStreamRetention(stream, { maxCount: step.max_count, maxAgeMs: step.max_age_ms ?? undefined });
    case "state":
      return client.getStreamState(stream);
  }
}

/** The fields of a state that `wanted` names, in the cases' words (max_age in ms, null: none). */
function stateFields(state: es.StreamState, wanted: Record<string, unknown>): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    last_version: Number(state.lastVersion),
    truncate_before: Number(state.truncateBefore),
    deleted: state.deleted,
    tombstoned: state.tombstoned,
    retention: { max_count: Number(state.retention.maxCount), max_age_ms: state.retention.maxAgeMs ?? null },
  };
  return Object.fromEntries(Object.keys(wanted).map((key) => [key, fields[key]]));
}

export async function runStep(client: es.EventStoreClient, stream: string, step: LifecycleStep): Promise<void> {
  const where = `${step.op} ${JSON.stringify(step)}`;
  if (step.error) {
    const type = (es as unknown as Record<string, new (...args: never[]) => Error>)[`${step.error}Error`];
    assert.ok(type, `no error type ${step.error}Error`);
    await assert.rejects(call(client, stream, step), (error) => {
      assert.ok(error instanceof type, `${where}: ${error}`);
      if (step.message !== undefined) assert.ok((error as es.EventStoreError).details.includes(step.message), `${where}: ${error}`);
      if (step.actual_version !== undefined) assert.equal((error as es.WrongExpectedVersionError).actualVersion, BigInt(step.actual_version), where);
      if (error instanceof es.StreamDeletedError) assert.equal(error.streamId, stream, where);
      return true;
    });
    return;
  }
  const result = await call(client, stream, step);
  if (step.current_version !== undefined) assert.equal((result as es.AppendResult).currentVersion, BigInt(step.current_version), where);
  if (step.versions) assert.deepEqual(result, step.versions, where);
  if (step.state) {
    assert.equal((result as es.StreamState).streamId, stream, where);
    assert.deepEqual(stateFields(result as es.StreamState, step.state), step.state, where);
  }
}
