// The stream lifecycle's types without a server: which status becomes StreamDeletedError
// (sdks/SPEC.md, "Errors").
import assert from "node:assert/strict";
import { BinaryWriter } from "@bufbuild/protobuf/wire";
import { Metadata, status } from "@grpc/grpc-js";
import { test } from "node:test";
import { EventStoreError, NotFoundError, proto, StreamDeletedError, toEventStoreError, WrongExpectedVersionError, exact } from "@eventstore/client";

/** A gRPC error whose grpc-status-details-bin trailer carries one detail message. */
function serviceError(code: status, detail?: { typeName: string; bytes: Uint8Array }) {
  const metadata = new Metadata();
  if (detail) {
    const any = new BinaryWriter().uint32(10).string(`type.googleapis.com/${detail.typeName}`).uint32(18).bytes(detail.bytes).finish();
    const rpcStatus = new BinaryWriter().uint32(8).int32(code).uint32(18).string("m").uint32(26).bytes(any).finish();
    metadata.set("grpc-status-details-bin", Buffer.from(rpcStatus));
  }
  return Object.assign(new Error("m"), { code, details: "m", metadata });
}

const streamDeleted = { typeName: "eventstore.v1.StreamDeleted", bytes: proto.StreamDeleted.encode({ streamId: "s" }).finish() };

for (const code of [status.FAILED_PRECONDITION, status.NOT_FOUND]) {
  test(`the StreamDeleted detail on ${status[code]} is StreamDeletedError with its code and stream`, () => {
    const error = toEventStoreError(serviceError(code, streamDeleted));
    assert.ok(error instanceof StreamDeletedError);
    assert.equal(error.code, code);
    assert.equal((error as StreamDeletedError).streamId, "s");
  });
}

test("without the detail NOT_FOUND stays NotFoundError and FAILED_PRECONDITION the base type", () => {
  assert.equal(toEventStoreError(serviceError(status.NOT_FOUND)).constructor, NotFoundError);
  assert.equal(toEventStoreError(serviceError(status.FAILED_PRECONDITION)).constructor, EventStoreError);
});

test("WrongExpectedVersion still wins on FAILED_PRECONDITION", () => {
  const bytes = proto.WrongExpectedVersion.encode({ streamId: "s", expected: { kind: { $case: "exact", exact: 9n } }, actualVersion: 10n }).finish();
  const error = toEventStoreError(serviceError(status.FAILED_PRECONDITION, { typeName: "eventstore.v1.WrongExpectedVersion", bytes }));
  assert.ok(error instanceof WrongExpectedVersionError);
  assert.equal(error.actualVersion, 10n);
  assert.deepEqual(error.expected, exact(9));
});

test("the detail on another code is that code's type", () => {
  const error = toEventStoreError(serviceError(status.INTERNAL, streamDeleted));
  assert.equal(error.constructor, EventStoreError);
  assert.equal(error.code, status.INTERNAL);
});
