// An Order aggregate on @eventstore/client: load its history with readStream, decide on a
// command, append the new events with exact(current version), and on WrongExpectedVersionError
// (a concurrent writer won) reload and decide again.
import {
  causedBy,
  decodeJsonEvent,
  exact,
  jsonEvent,
  NotFoundError,
  WrongExpectedVersionError,
  type EventData,
  type EventStoreClient,
  type RecordedEvent,
} from "@eventstore/client";

export type OrderEvent =
  | { type: "OrderPlaced"; data: { orderId: string; customer: string } }
  | { type: "LineAdded"; data: { sku: string; qty: number; price: number } }
  | { type: "OrderPaid"; data: { amount: number } }
  | { type: "OrderShipped"; data: { carrier: string } };

export type OrderCommand =
  | { type: "Place"; customer: string }
  | { type: "AddLine"; sku: string; qty: number; price: number }
  | { type: "Pay"; amount: number }
  | { type: "Ship"; carrier: string };

export interface OrderState {
  placed: boolean;
  total: number;
  paid: boolean;
  shipped: boolean;
}

export class OrderRejected extends Error {}

export const initialState: OrderState = { placed: false, total: 0, paid: false, shipped: false };

export const streamOf = (orderId: string) => `Order-${orderId}`;

export function evolve(state: OrderState, event: OrderEvent): OrderState {
  switch (event.type) {
    case "OrderPlaced":
      return { ...state, placed: true };
    case "LineAdded":
      return { ...state, total: state.total + event.data.qty * event.data.price };
    case "OrderPaid":
      return { ...state, paid: true };
    case "OrderShipped":
      return { ...state, shipped: true };
  }
}

/** The domain rules: which events a command produces in a state (or why it is refused). */
export function decide(state: OrderState, command: OrderCommand, orderId: string): OrderEvent[] {
  switch (command.type) {
    case "Place":
      if (state.placed) throw new OrderRejected(`order ${orderId} is already placed`);
      return [{ type: "OrderPlaced", data: { orderId, customer: command.customer } }];
    case "AddLine":
      if (!state.placed || state.paid) throw new OrderRejected(`order ${orderId} cannot take lines now`);
      return [{ type: "LineAdded", data: { sku: command.sku, qty: command.qty, price: command.price } }];
    case "Pay":
      if (!state.placed) throw new OrderRejected(`order ${orderId} is not placed`);
      if (state.paid) throw new OrderRejected(`order ${orderId} is already paid`);
      if (command.amount !== state.total) throw new OrderRejected(`order ${orderId} costs ${state.total}, not ${command.amount}`);
      return [{ type: "OrderPaid", data: { amount: command.amount } }];
    case "Ship":
      if (!state.paid) throw new OrderRejected(`order ${orderId} is not paid`);
      if (state.shipped) throw new OrderRejected(`order ${orderId} is already shipped`);
      return [{ type: "OrderShipped", data: { carrier: command.carrier } }];
  }
}

export interface Loaded {
  state: OrderState;
  /** The stream's version: 0 when the order has no history. */
  version: bigint;
  last: RecordedEvent | undefined;
}

/** Given: the order's history, read with readStream and folded into its state. */
export async function load(client: EventStoreClient, orderId: string): Promise<Loaded> {
  let state = initialState;
  let version = 0n;
  let last: RecordedEvent | undefined;
  try {
    for await (const event of client.readStream(streamOf(orderId))) {
      state = evolve(state, { type: event.typeName, data: decodeJsonEvent(event) } as OrderEvent);
      version = event.streamVersion;
      last = event;
    }
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  return { state, version, last };
}

export const toEventData = (event: OrderEvent, cause?: RecordedEvent): EventData =>
  jsonEvent(event.type, event.data, cause ? causedBy(cause) : {});

/**
 * When/then: handles a command, appending its events with exact(version). If another writer
 * appended in between, the append fails with WrongExpectedVersionError: reload and decide again
 * (the command may now be refused), up to `maxAttempts` times.
 */
export async function handle(
  client: EventStoreClient,
  orderId: string,
  command: OrderCommand,
  options: { maxAttempts?: number; beforeAppend?: (attempt: number) => Promise<void> } = {},
): Promise<{ version: bigint; attempts: number }> {
  const maxAttempts = options.maxAttempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    const { state, version, last } = await load(client, orderId);
    const events = decide(state, command, orderId).map((e) => toEventData(e, last));
    await options.beforeAppend?.(attempt); // a test hook: lets a test race a concurrent writer here
    try {
      const result = await client.append(streamOf(orderId), events, exact(version));
      return { version: result.currentVersion, attempts: attempt };
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError) || attempt >= maxAttempts) throw error;
    }
  }
}
