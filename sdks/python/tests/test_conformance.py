"""The cases every SDK runs (sdks/conformance/cases.json), against a real eventstored."""
import json
import uuid

import pytest

import eventstore_client as es
from eventstore_server import REPO
from lifecycle_steps import expected_version, run_step

CASES = json.loads((REPO / "sdks/conformance/cases.json").read_text(encoding="utf-8"))
N = CASES["stream_events"]


def name(case):
    return case["name"]


def given(case, *keys):
    """The case's options that are set (null: the SDK's default)."""
    return {key: case[key] for key in keys if case[key] is not None}


def fill(client, stream, n=N):
    if n:
        client.append(stream, [es.json_event(f"E{i}", {"i": i}) for i in range(1, n + 1)], es.NO_STREAM)


@pytest.fixture(scope="module")
def filled(server):
    stream = f"conformance-{uuid.uuid4().hex}"
    with es.EventStoreClient(server.target) as client:
        fill(client, stream)
    return stream


@pytest.mark.parametrize("case", CASES["read_stream"], ids=name)
def test_read_stream(client, filled, case):
    options = given(case, "direction", "from_version", "page_size", "limit")
    assert [e.stream_version for e in client.read_stream(filled, **options)] == case["versions"]


@pytest.mark.parametrize("case", CASES["read_all"], ids=name)
def test_read_all(client, filled, case):
    options = given(case, "page_size", "limit")
    assert [e.stream_version for e in client.read_all(stream_prefix=filled, **options)] == case["versions"]


@pytest.mark.parametrize("case", CASES["append"], ids=name)
def test_append(client, stream_id, case):
    fill(client, stream_id)
    expected = expected_version(case["expected"])
    if "error" in case:
        with pytest.raises(getattr(es, case["error"])) as caught:
            client.append(stream_id, [es.json_event("Next", {})], expected)
        assert caught.value.actual_version == case["actual_version"]
    else:
        assert client.append(stream_id, [es.json_event("Next", {})], expected).current_version == case["current_version"]


@pytest.mark.parametrize("case", CASES["lifecycle"], ids=name)
def test_lifecycle(client, stream_id, case):
    fill(client, stream_id, case.get("stream_events", N))
    for number, step in enumerate(case["steps"], 1):
        try:
            run_step(client, stream_id, step)
        except AssertionError as failed:
            raise AssertionError(f"step {number} {step}: {failed}") from failed


@pytest.mark.parametrize("case", CASES["decode_json"], ids=name)
def test_decode_json(case):
    event = es.bytes_event("T", case["payload"].encode("utf-8"), content_type=case["content_type"])
    if case["decodes"]:
        assert es.decode_json(event) == json.loads(case["payload"])
    else:
        with pytest.raises(ValueError):
            es.decode_json(event)
