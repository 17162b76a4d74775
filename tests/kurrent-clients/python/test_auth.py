"""With TLS and auth (phase 2 of run.sh): the Basic credentials of the connection string, a token's
name and the token. Skipped in the plaintext phase. (Without credentials this client refuses to
connect over TLS itself: "Username and password are required"; the Node suite covers that case.)"""
import os
import re

import pytest

from drivers import stream_name
from kurrentdbclient import NewEvent, StreamState
from kurrentdbclient.exceptions import AccessDeniedError, UnauthenticatedError

pytestmark = pytest.mark.skipif(os.environ.get("KURRENT_TLS") != "1", reason="plaintext phase: no auth")


def event():
    return NewEvent(type="Authed", data=b"{}")


def test_a_read_only_user_reads_but_may_not_append(run):
    writer_stream = stream_name("pyreadonly")

    async def write(c):
        await c.append(writer_stream, event(), StreamState.NO_STREAM)

    async def as_reader(c):
        assert len(await c.get_stream(writer_stream)) == 1
        with pytest.raises(AccessDeniedError):
            await c.append(writer_stream, event(), StreamState.ANY)  # Append
        with pytest.raises(AccessDeniedError):
            await c.append(writer_stream, [event()], StreamState.ANY)  # BatchAppend
        assert len(await c.get_stream(writer_stream)) == 1

    run(write)
    run(as_reader, os.environ["KURRENT_READER_CONNECTION_STRING"])


def test_a_wrong_password_is_refused(run):
    uri = re.sub(r"//writer:[^@]*@", "//writer:wrong-password@", os.environ["KURRENT_CONNECTION_STRING"])

    async def body(c):
        with pytest.raises((UnauthenticatedError, AccessDeniedError)):
            await c.append(stream_name("pywrong"), event(), StreamState.ANY)

    run(body, uri)
