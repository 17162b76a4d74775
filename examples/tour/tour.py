#!/usr/bin/python3
"""A two-minute tour of eventstored with a real gRPC client (Debian's python3-grpcio).

Appends with optimistic concurrency, shows the typed wrong-expected-version error, reads a
stream and the global log, and subscribes: catch-up, caught_up, then a live event.
Run it through run.sh, which generates the Python stubs from proto/ first.
"""
import argparse
import threading
import uuid

import grpc
from google.rpc import status_pb2
from eventstore.v1 import eventstore_pb2 as es
from eventstore.v1 import eventstore_pb2_grpc as es_grpc


def event(type_name, payload):
    return es.EventData(
        metadata=es.EventMetadata(event_id=str(uuid.uuid4()), type_name=type_name,
                                  content_type="application/json",
                                  headers={"source": "tour"}),
        payload=payload.encode())


def wrong_expected_version(error):
    """The WrongExpectedVersion detail of a FAILED_PRECONDITION error."""
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status = status_pb2.Status.FromString(value)
            detail = es.WrongExpectedVersion()
            status.details[0].Unpack(detail)
            return detail
    raise RuntimeError("no WrongExpectedVersion detail")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", default="127.0.0.1:50051")
    parser.add_argument("--stream", default="Order-" + uuid.uuid4().hex[:8])
    args = parser.parse_args()
    store = es_grpc.EventStoreStub(grpc.insecure_channel(args.target))
    stream = args.stream

    appended = store.Append(es.AppendRequest(
        stream_id=stream, expected_version=es.ExpectedVersion(no_stream={}),
        events=[event("OrderPlaced", '{"total": 42}'), event("OrderPaid", '{"amount": 42}')]))
    print(f"appended to {stream}: version {appended.current_version}, positions "
          f"{appended.first_global_position}..{appended.last_global_position}")

    try:
        store.Append(es.AppendRequest(stream_id=stream,
                                      expected_version=es.ExpectedVersion(exact=1),
                                      events=[event("OrderShipped", "{}")]))
    except grpc.RpcError as error:
        detail = wrong_expected_version(error)
        print(f"conflict: {error.code().name}, expected exact {detail.expected.exact}, "
              f"actual {detail.actual_version}")

    page = store.ReadStream(es.ReadStreamRequest(stream_id=stream, forward=True))
    for e in page.events:
        print(f"read {e.stream_id} v{e.stream_version} @{e.global_position} "
              f"{e.metadata.type_name} {e.payload.decode()}")

    everything = store.ReadAll(es.ReadAllRequest(stream_prefix=stream))
    print(f"read-all {stream}*: {len(everything.events)} events, scanned up to "
          f"{everything.last_scanned_position}, head reached: {everything.reached_head}")

    subscription = store.Subscribe(es.SubscribeRequest(stream_prefix=stream), timeout=30)
    for message in subscription:
        kind = message.WhichOneof("message")
        if kind == "event":
            print(f"subscription event @{message.event.global_position} "
                  f"{message.event.metadata.type_name}")
        elif kind == "caught_up":
            print(f"subscription caught up at {message.caught_up.global_position}")
            threading.Thread(target=lambda: store.Append(es.AppendRequest(
                stream_id=stream, expected_version=es.ExpectedVersion(exact=2),
                events=[event("OrderShipped", "{}")]))).start()
        if kind == "event" and message.event.stream_version == 3:
            print("live event delivered; tour done")
            subscription.cancel()
            break


if __name__ == "__main__":
    main()
