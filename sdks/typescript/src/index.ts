export {
  EventStoreClient,
  EventIterable,
  Subscription,
  DEFAULT_MAX_BATCH_EVENTS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_KEEPALIVE_TIME_MS,
  DEFAULT_KEEPALIVE_TIMEOUT_MS,
  fromProtoRecordedEvent,
  type AppendResult,
  type CallSettings,
  type ClientOptions,
  type Pem,
  type Direction,
  type ReadAllOptions,
  type ReadAllPage,
  type ReadStreamOptions,
  type ReadStreamPage,
  type ResumeOptions,
  type SubscribeOptions,
  type SubscriptionMessage,
} from "./client";
export {
  EventStoreError,
  WrongExpectedVersionError,
  StreamDeletedError,
  NotFoundError,
  AlreadyExistsError,
  InvalidArgumentError,
  UnavailableError,
  ResourceExhaustedError,
  CancelledError,
  DeadlineExceededError,
  UnauthenticatedError,
  PermissionDeniedError,
  toEventStoreError,
  wrongExpectedVersionDetail,
  streamDeletedDetail,
} from "./errors";
export type { RetentionOptions, StreamRetention, StreamState } from "./lifecycle";
export { any, noStream, streamExists, exact, ExpectedVersions, describeExpectedVersion, type ExpectedVersion } from "./expected";
export {
  ContentTypes,
  newEvent,
  jsonEvent,
  protobufEvent,
  decodeJsonEvent,
  decodeProtobufEvent,
  causedBy,
  withCausation,
  type EventData,
  type EventOptions,
  type ProtobufCodec,
  type RecordedEvent,
} from "./events";
export { encodeJson, encodeJsonText, decodeJson } from "./json";
export { uuidv7, isUuidV7 } from "./uuid";
/** The generated messages of eventstore/v1/eventstore.proto (e.g. proto.Checkpoint for protobufEvent). */
export * as proto from "./generated/eventstore/v1/eventstore";
