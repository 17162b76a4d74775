"""Starts a real eventstored (memory backend) for the tests, on a free port of 127.0.0.1."""
from __future__ import annotations

import os
import pathlib
import signal
import socket
import subprocess
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EventStoreServer:
    """eventstored from $EVENTSTORED with the plugin $EVENTSTORE_MEMORY_PLUGIN (defaults: the build
    tree). start() waits for 'listening on'; stop() sends SIGTERM; restart() keeps the port (and
    loses every event: the memory backend keeps nothing)."""

    def __init__(self, port: int | None = None, extra_config: str = ""):
        self.binary = os.environ.get("EVENTSTORED", str(REPO / "build/bin/eventstored"))
        self.plugin = os.environ.get("EVENTSTORE_MEMORY_PLUGIN", str(REPO / "build/plugins/memory.so"))
        for path in (self.binary, self.plugin):
            if not os.path.exists(path):
                raise RuntimeError(f"{path} not found: build the server or set EVENTSTORED / EVENTSTORE_MEMORY_PLUGIN")
        self.port = port or free_port()
        self.extra_config = extra_config
        self.dir = tempfile.TemporaryDirectory(prefix="eventstore-py-")
        self.process: subprocess.Popen | None = None
        self.log_path = pathlib.Path(self.dir.name) / "eventstored.log"

    @property
    def target(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> "EventStoreServer":
        config = pathlib.Path(self.dir.name) / "eventstore.yaml"
        config.write_text(
            f"listen: {self.target}\nbackend:\n  plugin: {self.plugin}\nshutdown_grace_ms: 2000\n{self.extra_config}"
        )
        log = open(self.log_path, "ab")
        offset = log.tell()  # the log is kept across restarts: look only at this start's lines
        self.process = subprocess.Popen([self.binary, "--config", str(config)], stderr=log, stdout=log)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if b"listening on" in self.log_path.read_bytes()[offset:]:
                return self
            if self.process.poll() is not None:
                raise RuntimeError(f"eventstored exited {self.process.returncode}:\n{self.log()}")
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"eventstored did not start within {timeout}s:\n{self.log()}")

    def stop(self, timeout: float = 15.0) -> int | None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return process.returncode if process else None
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()

    def restart(self) -> "EventStoreServer":
        self.stop()
        with open(self.log_path, "a") as log:
            log.write("---- restart ----\n")
        return self.start()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def close(self) -> None:
        self.stop()
        self.dir.cleanup()

    def __enter__(self) -> "EventStoreServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
