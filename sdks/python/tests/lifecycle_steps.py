"""Runs the lifecycle steps of sdks/conformance/cases.json ("lifecycle", "lifecycle_permissions")
with a sync client: one step is one call and what it must answer."""
from __future__ import annotations

import datetime

import pytest

import eventstore_client as es

EXPECTED = {"any": es.ANY, "no_stream": es.NO_STREAM, "stream_exists": es.STREAM_EXISTS}


def expected_version(spec) -> es.ExpectedVersion:
    return es.exact(spec["version"]) if spec["kind"] == "exact" else EXPECTED[spec["kind"]]


def call(client: es.EventStoreClient, stream: str, step):
    """The step's call, made: an AppendResult, a list of versions, or a StreamState."""
    op = step["op"]
    if op == "append":
        return client.append(stream, [es.json_event("Next", {})], expected_version(step["expected"]))
    if op == "read":
        return [event.stream_version for event in client.read_stream(stream)]
    if op == "delete":
        return client.delete_stream(stream, expected_version(step["expected"]))
    if op == "tombstone":
        return client.tombstone_stream(stream, expected_version(step["expected"]))
    if op == "truncate":
        return client.truncate_stream(stream, step["before"])
    if op == "set_retention":
        age = step["max_age_ms"]
        max_age = None if age is None else datetime.timedelta(milliseconds=age)
        return client.set_stream_retention(stream, max_count=step["max_count"], max_age=max_age)
    if op == "state":
        return client.get_stream_state(stream)
    raise ValueError(f"unknown op {op!r}")


def state_fields(state: es.StreamState, wanted: dict) -> dict:
    """The fields of state that wanted names, in the cases' words (max_age in ms, None: none)."""
    age = state.retention.max_age
    fields = {
        "last_version": state.last_version,
        "truncate_before": state.truncate_before,
        "deleted": state.deleted,
        "tombstoned": state.tombstoned,
        "retention": {
            "max_count": state.retention.max_count,
            "max_age_ms": None if age is None else age // datetime.timedelta(milliseconds=1),
        },
    }
    return {key: fields[key] for key in wanted}


def run_step(client: es.EventStoreClient, stream: str, step) -> None:
    if "error" in step:
        with pytest.raises(getattr(es, step["error"])) as caught:
            call(client, stream, step)
        if "message" in step:
            assert step["message"] in caught.value.message
        if "actual_version" in step:
            assert caught.value.actual_version == step["actual_version"]
        if step["error"] == "StreamDeleted":
            assert caught.value.stream_id == stream
        return
    result = call(client, stream, step)
    if "current_version" in step:
        assert result.current_version == step["current_version"]
    if "versions" in step:
        assert result == step["versions"]
    if "state" in step:
        assert result.stream_id == stream
        assert state_fields(result, step["state"]) == step["state"]
