"""One async interface over both kurrentdbclient 1.3.5 clients, so each check is written once and
runs against KurrentDBClient (sync: every call in a worker thread, as an application's thread
would make it) and AsyncKurrentDBClient (asyncio). Nothing here changes what the clients send:
each method is one public call of the client."""
from __future__ import annotations

import asyncio
import os
import uuid
from typing import Any

from kurrentdbclient import AsyncKurrentDBClient, KurrentDBClient

URI = os.environ.get("KURRENT_CONNECTION_STRING", "")


class Subscription:
    """next() returns the next item the subscription yields (a RecordedEvent, or a CaughtUp or
    Checkpoint when asked for), or raises TimeoutError after `timeout` seconds."""

    def __init__(self, driver: "Driver", handle: Any):
        self._driver = driver
        self._handle = handle

    async def next(self, timeout: float = 10.0) -> Any:
        return await asyncio.wait_for(self._driver._next(self._handle), timeout)

    async def stop(self) -> None:
        await self._driver._stop(self._handle)


class Driver:
    name = ""

    def __init__(self, client: Any):
        self.client = client

    async def append(self, stream: str, events: Any, current_version: Any) -> int:
        return await self.call("append_to_stream", stream, events=events, current_version=current_version)

    async def get_stream(self, stream: str, **kwargs: Any) -> tuple:
        return await self.call("get_stream", stream, **kwargs)

    async def read_all(self, **kwargs: Any) -> list:
        raise NotImplementedError

    async def subscribe_to_all(self, **kwargs: Any) -> Subscription:
        return Subscription(self, await self.call("subscribe_to_all", **kwargs))

    async def subscribe_to_stream(self, stream: str, **kwargs: Any) -> Subscription:
        return Subscription(self, await self.call("subscribe_to_stream", stream, **kwargs))

    async def get_current_version(self, stream: str) -> Any:
        return await self.call("get_current_version", stream)

    async def get_commit_position(self, **kwargs: Any) -> int:
        return await self.call("get_commit_position", **kwargs)


class SyncDriver(Driver):
    name = "sync"

    async def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(getattr(self.client, method), *args, **kwargs)

    async def read_all(self, **kwargs: Any) -> list:
        return await asyncio.to_thread(lambda: list(self.client.read_all(**kwargs)))

    async def _next(self, handle: Any) -> Any:
        return await asyncio.to_thread(next, handle)

    async def _stop(self, handle: Any) -> None:
        await asyncio.to_thread(handle.stop)

    async def close(self) -> None:
        await asyncio.to_thread(self.client.close)


class AsyncDriver(Driver):
    name = "asyncio"

    async def call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return await getattr(self.client, method)(*args, **kwargs)

    async def read_all(self, **kwargs: Any) -> list:
        return [e async for e in await self.client.read_all(**kwargs)]

    async def _next(self, handle: Any) -> Any:
        return await handle.__anext__()

    async def _stop(self, handle: Any) -> None:
        await handle.stop()

    async def close(self) -> None:
        await self.client.close()


async def open_driver(kind: str, uri: str = "") -> Driver:
    uri = uri or URI
    if kind == "sync":
        return SyncDriver(await asyncio.to_thread(KurrentDBClient, uri))
    client = AsyncKurrentDBClient(uri)
    await client.connect()
    return AsyncDriver(client)


def stream_name(prefix: str = "py") -> str:
    return f"{prefix}-{uuid.uuid4()}"
