import uuid

import pytest

from eventstore_client import EventStoreClient
from eventstore_server import EventStoreServer

# The shared lifecycle steps assert in a helper module (imported by the tests later): have pytest
# explain their failures too.
pytest.register_assert_rewrite("lifecycle_steps")


@pytest.fixture(scope="session")
def server():
    """One eventstored for the session; tests use unique stream ids, never a shared stream."""
    with EventStoreServer() as running:
        yield running


@pytest.fixture()
def client(server):
    with EventStoreClient(server.target, timeout=10) as c:
        yield c


@pytest.fixture()
def stream_id():
    return f"test-{uuid.uuid4().hex}"
