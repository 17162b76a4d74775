"""A subscription idle for KURRENT_IDLE_SECONDS (60 in run.sh, on the memory backend) still
delivers. Skipped when KURRENT_IDLE_SECONDS is not set."""
import asyncio
import os

import pytest

from drivers import stream_name
from kurrentdbclient import CaughtUp, NewEvent, StreamState

SECONDS = int(os.environ.get("KURRENT_IDLE_SECONDS", "0"))


@pytest.mark.skipif(SECONDS <= 0, reason="KURRENT_IDLE_SECONDS not set")
def test_an_idle_subscription_still_delivers(run):
    async def body(c):
        stream = stream_name("pyidle")
        await c.append(stream, NewEvent(type="Before", data=b"{}"), StreamState.NO_STREAM)
        sub = await c.subscribe_to_stream(stream, include_caught_up=True)
        assert (await sub.next()).type == "Before"
        assert isinstance(await sub.next(), CaughtUp)
        await asyncio.sleep(SECONDS)
        await c.append(stream, NewEvent(type="AfterIdle", data=b"{}"), StreamState.ANY)
        assert (await sub.next()).type == "AfterIdle"
        await sub.stop()

    run(body)
