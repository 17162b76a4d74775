"""The generated stubs (see tools/generate_stubs.py), imported in one place."""
try:
    from ._proto.eventstore.v1 import eventstore_pb2 as pb
    from ._proto.eventstore.v1 import eventstore_pb2_grpc as pb_grpc
except ImportError as error:  # pragma: no cover - a checkout without generated stubs
    raise ImportError(
        "eventstore_client's generated stubs are missing: run "
        "`python tools/generate_stubs.py --proto-dir <repo>/proto --out src/eventstore_client/_proto` "
        "(or install the wheel that test.sh builds)"
    ) from error


def status_pb2():
    """google.rpc.Status: googleapis-common-protos' copy when installed (so the same proto file is
    never registered twice in protobuf's default pool), else the one generated from proto/."""
    try:
        from google.rpc import status_pb2 as module  # type: ignore[import-not-found]
    except ImportError:
        from ._proto.google.rpc import status_pb2 as module
    return module


__all__ = ["pb", "pb_grpc", "status_pb2"]
