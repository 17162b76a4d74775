"""TLS and tokens (sdks/SPEC.md, "Tests"): one eventstored with mutual TLS and auth on, set up by
sdks/conformance/secure_server.sh (a CA, certificates for 127.0.0.1 and a client, a writer, a
read-only and an admin token)."""
import asyncio
import json
import pathlib
import subprocess
import tempfile

import pytest

from eventstore_client import (
    NO_STREAM,
    AsyncEventStoreClient,
    CaughtUp,
    EventStoreClient,
    PermissionDenied,
    RecordedEvent,
    Unauthenticated,
    Unavailable,
    json_event,
)
from eventstore_server import REPO, EventStoreServer
from lifecycle_steps import run_step

PERMISSION_CASES = json.loads((REPO / "sdks/conformance/cases.json").read_text(encoding="utf-8"))["lifecycle_permissions"]


@pytest.fixture(scope="module")
def secure():
    with tempfile.TemporaryDirectory(prefix="eventstore-py-tls-") as folder:
        files = pathlib.Path(folder)
        subprocess.run([REPO / "sdks/conformance/secure_server.sh", files, "--mutual"], check=True)
        with EventStoreServer(extra_config=(files / "secure.yaml").read_text()) as server:
            yield server, files


def tls_options(files: pathlib.Path, token_file: str = "writer.token", **overrides):
    options = {
        "ca_cert": (files / "ca.crt").read_bytes(),
        "client_cert": (files / "client.crt").read_bytes(),
        "client_key": (files / "client.key").read_bytes(),
        "token": (files / token_file).read_text(),
        "timeout": 10,
    }
    options.update(overrides)
    return options


def test_with_the_ca_a_client_certificate_and_a_token_it_appends_reads_and_subscribes(secure, stream_id):
    server, files = secure
    with EventStoreClient(server.target, **tls_options(files)) as client:
        client.append(stream_id, [json_event("Placed", {"n": 1})], NO_STREAM)
        assert [event.json() for event in client.read_stream(stream_id)] == [{"n": 1}]
        with client.subscribe(stream_prefix=stream_id) as subscription:
            items = iter(subscription)
            assert isinstance(next(items), RecordedEvent)
            assert isinstance(next(items), CaughtUp)


def test_a_read_only_token_reads_but_its_append_is_permission_denied(secure, stream_id):
    server, files = secure
    with EventStoreClient(server.target, **tls_options(files)) as writer:
        writer.append(stream_id, [json_event("Placed", {})])
    with EventStoreClient(server.target, **tls_options(files, "reader.token")) as reader:
        assert len(list(reader.read_stream(stream_id))) == 1
        with pytest.raises(PermissionDenied, match="may not write"):
            reader.append(stream_id, [json_event("Placed", {})])


def test_a_wrong_token_is_unauthenticated_on_every_call(secure, stream_id):
    server, files = secure
    with EventStoreClient(server.target, **tls_options(files, token="0" * 64)) as client:
        with pytest.raises(Unauthenticated, match="unknown bearer token"):
            client.append(stream_id, [json_event("Placed", {})])
        with pytest.raises(Unauthenticated):
            list(client.read_all())
        with pytest.raises(Unauthenticated), client.subscribe() as subscription:
            next(iter(subscription))


def test_without_a_client_certificate_the_handshake_fails(secure, stream_id):
    server, files = secure
    with EventStoreClient(server.target, **tls_options(files, client_cert=None, client_key=None, timeout=5)) as client:
        with pytest.raises(Unavailable):
            client.append(stream_id, [json_event("Placed", {})])


@pytest.mark.parametrize("case", PERMISSION_CASES, ids=lambda case: case["name"])
def test_lifecycle_permissions(secure, stream_id, case):
    server, files = secure
    with EventStoreClient(server.target, **tls_options(files, "admin.token")) as admin:
        admin.append(stream_id, [json_event("Placed", {})], NO_STREAM)
    with EventStoreClient(server.target, **tls_options(files, case["token"])) as client:
        run_step(client, stream_id, case)


def test_the_async_client_takes_the_same_options(secure, stream_id):
    server, files = secure

    async def scenario():
        async with AsyncEventStoreClient(server.target, **tls_options(files)) as client:
            await client.append(stream_id, [json_event("Placed", {"n": 2})], NO_STREAM)
            assert [event.json() async for event in client.read_stream(stream_id)] == [{"n": 2}]
        async with AsyncEventStoreClient(server.target, **tls_options(files, "reader.token")) as reader:
            with pytest.raises(PermissionDenied):
                await reader.append(stream_id, [json_event("Placed", {})])

    asyncio.run(asyncio.wait_for(scenario(), 60))
