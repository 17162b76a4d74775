import { Metadata, status, type ServiceError } from "@grpc/grpc-js";
import { StreamDeleted as StreamDeletedDetail, WrongExpectedVersion as WrongExpectedVersionDetail } from "./generated/eventstore/v1/eventstore";
import { Status } from "./generated/google/rpc/status";
import { ExpectedVersion, fromProtoExpectedVersion } from "./expected";

/** The base of every error this client raises for a failed call. `code` is the gRPC status code. */
export class EventStoreError extends Error {
  readonly code: status;
  readonly details: string;
  readonly metadata: Metadata | undefined;
  constructor(message: string, code: status = status.UNKNOWN, details = message, metadata?: Metadata, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
    this.metadata = metadata;
  }
}

/** FAILED_PRECONDITION from append: the stream is not at the expected version. Nothing was written. */
export class WrongExpectedVersionError extends EventStoreError {
  /** The stream the append was for. */
  readonly streamId: string;
  /** The expected version the request carried (`undefined` when it was left unset, meaning any). */
  readonly expected: ExpectedVersion | undefined;
  /** The stream's version when the append was refused (0: no stream). */
  readonly actualVersion: bigint;
  constructor(streamId: string, expected: ExpectedVersion | undefined, actualVersion: bigint, details: string, metadata?: Metadata, cause?: unknown) {
    super(`wrong expected version: ${details}`, status.FAILED_PRECONDITION, details, metadata, { cause });
    this.streamId = streamId;
    this.expected = expected;
    this.actualVersion = actualVersion;
  }
}

/**
 * The stream is tombstoned (deleted for good): FAILED_PRECONDITION for an append or a lifecycle
 * change, NOT_FOUND for a read (`code` says which); both carry the StreamDeleted detail.
 */
export class StreamDeletedError extends EventStoreError {
  /** The tombstoned stream. */
  readonly streamId: string;
  constructor(streamId: string, code: status, details: string, metadata?: Metadata, cause?: unknown) {
    super(`stream deleted: ${details}`, code, details, metadata, { cause });
    this.streamId = streamId;
  }
}

/** NOT_FOUND: e.g. reading a stream that does not exist. */
export class NotFoundError extends EventStoreError {}
/** ALREADY_EXISTS: an event id is already stored, and the append is not an idempotent retry. */
export class AlreadyExistsError extends EventStoreError {}
/** INVALID_ARGUMENT: the request was refused as malformed; the message names the field. */
export class InvalidArgumentError extends EventStoreError {}
/** UNAVAILABLE: the server cannot be reached, or is shutting down (a subscription can resume). */
export class UnavailableError extends EventStoreError {}
/** RESOURCE_EXHAUSTED: a limit was exceeded; the message names it. */
export class ResourceExhaustedError extends EventStoreError {}
/** CANCELLED: the call was cancelled (for instance by closing a subscription). */
export class CancelledError extends EventStoreError {}
/** DEADLINE_EXCEEDED: the call's deadline passed (the client's timeoutMs, or the backend's). */
export class DeadlineExceededError extends EventStoreError {}
/** UNAUTHENTICATED: auth is on and the call carried no token, or an unknown one. */
export class UnauthenticatedError extends EventStoreError {}
/** PERMISSION_DENIED: the token may not do this (write with a read-only token, a stream outside its prefixes, another tenant's stream). */
export class PermissionDeniedError extends EventStoreError {}

function isServiceError(error: unknown): error is ServiceError {
  return typeof error === "object" && error !== null && typeof (error as ServiceError).code === "number" && "details" in error;
}

/** The first detail of the message type `typeName` in a gRPC error's `grpc-status-details-bin` trailer, decoded. */
function statusDetail<T>(metadata: Metadata | undefined, typeName: string, decode: (bytes: Uint8Array) => T): T | undefined {
  if (!metadata) return undefined;
  for (const value of metadata.get("grpc-status-details-bin")) {
    const bytes = typeof value === "string" ? Buffer.from(value, "base64") : value;
    const rpcStatus = Status.decode(bytes);
    for (const any of rpcStatus.details) {
      if (any.typeUrl.endsWith("/" + typeName)) return decode(any.value);
    }
  }
  return undefined;
}

/** Reads the WrongExpectedVersion detail from a gRPC error's `grpc-status-details-bin` trailer. */
export function wrongExpectedVersionDetail(metadata: Metadata | undefined): WrongExpectedVersionDetail | undefined {
  return statusDetail(metadata, "eventstore.v1.WrongExpectedVersion", (bytes) => WrongExpectedVersionDetail.decode(bytes));
}

/** Reads the StreamDeleted detail from a gRPC error's `grpc-status-details-bin` trailer. */
export function streamDeletedDetail(metadata: Metadata | undefined): StreamDeletedDetail | undefined {
  return statusDetail(metadata, "eventstore.v1.StreamDeleted", (bytes) => StreamDeletedDetail.decode(bytes));
}

/** Turns any error from a gRPC call into the matching typed EventStoreError. */
export function toEventStoreError(error: unknown): EventStoreError {
  if (error instanceof EventStoreError) return error;
  if (!isServiceError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return new EventStoreError(message, status.UNKNOWN, message, undefined, { cause: error });
  }
  const { code, details, metadata } = error;
  const message = details || error.message;
  if (code === status.FAILED_PRECONDITION) {
    const wrong = wrongExpectedVersionDetail(metadata);
    if (wrong) return new WrongExpectedVersionError(wrong.streamId, fromProtoExpectedVersion(wrong.expected), wrong.actualVersion, message, metadata, error);
  }
  if (code === status.FAILED_PRECONDITION || code === status.NOT_FOUND) {
    const deleted = streamDeletedDetail(metadata);
    if (deleted) return new StreamDeletedError(deleted.streamId, code, message, metadata, error);
  }
  switch (code) {
    case status.NOT_FOUND:
      return new NotFoundError(message, code, message, metadata, { cause: error });
    case status.ALREADY_EXISTS:
      return new AlreadyExistsError(message, code, message, metadata, { cause: error });
    case status.INVALID_ARGUMENT:
      return new InvalidArgumentError(message, code, message, metadata, { cause: error });
    case status.UNAVAILABLE:
      return new UnavailableError(message, code, message, metadata, { cause: error });
    case status.RESOURCE_EXHAUSTED:
      return new ResourceExhaustedError(message, code, message, metadata, { cause: error });
    case status.CANCELLED:
      return new CancelledError(message, code, message, metadata, { cause: error });
    case status.DEADLINE_EXCEEDED:
      return new DeadlineExceededError(message, code, message, metadata, { cause: error });
    case status.UNAUTHENTICATED:
      return new UnauthenticatedError(message, code, message, metadata, { cause: error });
    case status.PERMISSION_DENIED:
      return new PermissionDeniedError(message, code, message, metadata, { cause: error });
    default:
      return new EventStoreError(message, code, message, metadata, { cause: error });
  }
}
