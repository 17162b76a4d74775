"""What the official clients never send, sent with their own generated stubs (kurrentdbclient's
protos/v1) over a plain grpcio channel: a missing options message, unset or unknown oneof cases,
a missing required metadata key, an invalid regular expression, each answered with an error
(INVALID_ARGUMENT) and nothing written; and the UUID forms the protocol allows (structured ids
on append, structured ids on read when uuid_option asks for them)."""
import base64
import os
import urllib.parse
import uuid

import grpc
import pytest

from kurrentdbclient.protos.v1 import shared_pb2, streams_pb2, streams_pb2_grpc

Options = streams_pb2.ReadReq.Options


@pytest.fixture(scope="module")
def stub():
    """A Streams stub on the run's server, with the run's Basic credentials under TLS."""
    uri = urllib.parse.urlsplit(os.environ["KURRENT_CONNECTION_STRING"])
    target = f"{uri.hostname}:{uri.port}"
    ca_file = os.environ.get("EVENTSTORE_V1_CA_FILE")
    if ca_file:
        with open(ca_file, "rb") as f:
            channel = grpc.secure_channel(target, grpc.ssl_channel_credentials(root_certificates=f.read()))
    else:
        channel = grpc.insecure_channel(target)
    metadata = ()
    if uri.username:
        basic = base64.b64encode(f"{uri.username}:{urllib.parse.unquote(uri.password)}".encode()).decode()
        metadata = (("authorization", f"Basic {basic}"),)
    yield streams_pb2_grpc.StreamsStub(channel), metadata
    channel.close()


def stream_id(name):
    return shared_pb2.StreamIdentifier(stream_name=name.encode())


def read_options(name=None, **overrides):
    options = Options(read_direction=Options.Forwards, count=10,
                      uuid_option=Options.UUIDOption(string=shared_pb2.Empty()), no_filter=shared_pb2.Empty())
    if name is not None:
        options.stream.CopyFrom(Options.StreamOptions(stream_identifier=stream_id(name), start=shared_pb2.Empty()))
    for key, value in overrides.items():
        getattr(options, key).CopyFrom(value)
    return options


def read(stub, request):
    client, metadata = stub
    return list(client.Read(request, metadata=metadata, timeout=10))


def append(stub, name, events, **expected):
    client, metadata = stub
    expected = expected or {"any": shared_pb2.Empty()}
    requests = [streams_pb2.AppendReq(options=streams_pb2.AppendReq.Options(stream_identifier=stream_id(name), **expected))]
    requests += [streams_pb2.AppendReq(proposed_message=e) for e in events]
    return client.Append(iter(requests), metadata=metadata, timeout=10)


def proposed(id_=None, metadata=None):
    id_ = id_ or shared_pb2.UUID(string=str(uuid.uuid4()))
    metadata = {"type": "Raw", "content-type": "application/json"} if metadata is None else metadata
    return streams_pb2.AppendReq.ProposedMessage(id=id_, metadata=metadata, data=b"{}")


def assert_missing(stub, name):
    responses = read(stub, streams_pb2.ReadReq(options=read_options(name)))
    assert [r.WhichOneof("content") for r in responses] == ["stream_not_found"]


def code_of(call):
    with pytest.raises(grpc.RpcError) as raised:
        call()
    return raised.value.code()


def test_a_read_without_options(stub):
    assert code_of(lambda: read(stub, streams_pb2.ReadReq())) == grpc.StatusCode.INVALID_ARGUMENT


def test_a_read_with_no_stream_option_and_an_unknown_field(stub):
    # Field 100 is no field of Options: a newer client's oneof case this server does not know.
    options = read_options().SerializeToString() + b"\xa0\x06\x01"
    request = streams_pb2.ReadReq.FromString(b"\x0a" + bytes([len(options)]) + options)
    assert not request.options.HasField("stream")
    assert code_of(lambda: read(stub, request)) == grpc.StatusCode.INVALID_ARGUMENT


def test_a_read_with_no_count_option(stub):
    options = read_options(f"raw-{uuid.uuid4()}")
    options.ClearField("count")
    assert code_of(lambda: read(stub, streams_pb2.ReadReq(options=options))) == grpc.StatusCode.INVALID_ARGUMENT


def test_a_read_with_no_uuid_option(stub):
    options = read_options(f"raw-{uuid.uuid4()}")
    options.ClearField("uuid_option")
    assert code_of(lambda: read(stub, streams_pb2.ReadReq(options=options))) == grpc.StatusCode.INVALID_ARGUMENT


def test_an_invalid_regular_expression(stub):
    options = read_options()
    options.all.CopyFrom(Options.AllOptions(start=shared_pb2.Empty()))
    options.filter.CopyFrom(Options.FilterOptions(
        stream_identifier=Options.FilterOptions.Expression(regex="("), count=shared_pb2.Empty(),
        checkpointIntervalMultiplier=1))
    assert code_of(lambda: read(stub, streams_pb2.ReadReq(options=options))) == grpc.StatusCode.INVALID_ARGUMENT


def test_an_append_without_options_first(stub):
    client, metadata = stub
    requests = iter([streams_pb2.AppendReq(proposed_message=proposed())])
    assert code_of(lambda: client.Append(requests, metadata=metadata, timeout=10)) == grpc.StatusCode.INVALID_ARGUMENT


def test_an_append_with_no_expected_revision(stub):
    client, metadata = stub
    name = f"raw-{uuid.uuid4()}"
    requests = iter([streams_pb2.AppendReq(options=streams_pb2.AppendReq.Options(stream_identifier=stream_id(name))),
                     streams_pb2.AppendReq(proposed_message=proposed())])
    assert code_of(lambda: client.Append(requests, metadata=metadata, timeout=10)) == grpc.StatusCode.INVALID_ARGUMENT
    assert_missing(stub, name)


@pytest.mark.parametrize("missing", ["type", "content-type"])
def test_an_event_without_a_required_metadata_key(stub, missing):
    name = f"raw-{uuid.uuid4()}"
    metadata = {k: v for k, v in {"type": "Raw", "content-type": "application/json"}.items() if k != missing}
    with pytest.raises(grpc.RpcError) as raised:
        append(stub, name, [proposed(), proposed(metadata=metadata)])
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    trailers = dict(raised.value.trailing_metadata() or ())
    assert trailers.get("exception") == "missing-required-metadata-property"
    assert_missing(stub, name)


def test_a_malformed_string_uuid(stub):
    name = f"raw-{uuid.uuid4()}"
    with pytest.raises(grpc.RpcError) as raised:
        append(stub, name, [proposed(), proposed(id_=shared_pb2.UUID(string="0123-not-a-uuid"))])
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert_missing(stub, name)


def structured(u):
    as_int = u.int
    signed = lambda v: v - (1 << 64) if v >= 1 << 63 else v  # noqa: E731
    return shared_pb2.UUID(structured=shared_pb2.UUID.Structured(
        most_significant_bits=signed(as_int >> 64), least_significant_bits=signed(as_int & ((1 << 64) - 1))))


def test_structured_uuids_on_append_and_on_read(stub):
    name = f"raw-{uuid.uuid4()}"
    ids = [uuid.uuid4() for _ in range(2)]
    response = append(stub, name, [proposed(id_=structured(ids[0])), proposed(id_=shared_pb2.UUID(string=str(ids[1]).upper()))])
    assert response.WhichOneof("result") == "success"
    as_strings = read(stub, streams_pb2.ReadReq(options=read_options(name)))
    assert [r.event.event.id.string for r in as_strings] == [str(i) for i in ids], "ids in lower-case 8-4-4-4-12"
    options = read_options(name, uuid_option=Options.UUIDOption(structured=shared_pb2.Empty()))
    as_structured = read(stub, streams_pb2.ReadReq(options=options))
    assert [r.event.event.id for r in as_structured] == [structured(i) for i in ids]
