"""The stream lifecycle's types without a server: which status becomes StreamDeleted (sdks/SPEC.md,
"Errors"), and retention's max_age as a timedelta on the wire and back."""
import datetime

import grpc
import pytest
from google.protobuf import any_pb2

from eventstore_client import NotFound, StreamDeleted, StreamRetention, WrongExpectedVersion, exact, pb
from eventstore_client._stubs import status_pb2
from eventstore_client.errors import STATUS_DETAILS_KEY, EventStoreError, from_status


def trailer(*details):
    """The grpc-status-details-bin trailer of a status carrying these detail messages."""
    packed = []
    for detail in details:
        any_detail = any_pb2.Any()
        any_detail.Pack(detail)
        packed.append(any_detail)
    status = status_pb2().Status(code=9, message="m", details=packed)
    return ((STATUS_DETAILS_KEY, status.SerializeToString()),)


@pytest.mark.parametrize("code", [grpc.StatusCode.FAILED_PRECONDITION, grpc.StatusCode.NOT_FOUND])
def test_the_stream_deleted_detail_is_stream_deleted_with_its_code_and_stream(code):
    error = from_status(code, "stream 's' is tombstoned", trailer(pb.StreamDeleted(stream_id="s")))
    assert isinstance(error, StreamDeleted)
    assert (error.code, error.stream_id, error.message) == (code, "s", "stream 's' is tombstoned")


def test_without_the_detail_not_found_stays_not_found_and_failed_precondition_the_base_type():
    assert type(from_status(grpc.StatusCode.NOT_FOUND, "m", ())) is NotFound
    assert type(from_status(grpc.StatusCode.FAILED_PRECONDITION, "m", ())) is EventStoreError


def test_wrong_expected_version_still_wins_on_failed_precondition():
    detail = pb.WrongExpectedVersion(stream_id="s", expected=exact(9).to_proto(), actual_version=10)
    error = from_status(grpc.StatusCode.FAILED_PRECONDITION, "m", trailer(detail))
    assert isinstance(error, WrongExpectedVersion) and error.actual_version == 10


def test_the_detail_on_another_code_is_that_code_s_type():
    error = from_status(grpc.StatusCode.INTERNAL, "m", trailer(pb.StreamDeleted(stream_id="s")))
    assert type(error) is EventStoreError and error.code == grpc.StatusCode.INTERNAL


def test_max_age_travels_as_a_duration_and_none_or_zero_is_no_limit():
    hour = StreamRetention(3, datetime.timedelta(hours=1, microseconds=5))
    wire = hour.to_proto()
    assert (wire.max_count, wire.max_age.seconds, wire.max_age.nanos) == (3, 3600, 5000)
    assert StreamRetention.from_proto(wire) == hour
    assert not StreamRetention(0, None).to_proto().HasField("max_age")
    assert StreamRetention.from_proto(StreamRetention(0, datetime.timedelta(0)).to_proto()) == StreamRetention(0, None)
    with pytest.raises(ValueError):
        StreamRetention(0, datetime.timedelta(seconds=-1)).to_proto()
    with pytest.raises(ValueError):
        StreamRetention(-1).to_proto()
