"""A temporary Prefect API for a one-off run, started before the pipeline's
modules load so that the two overlap.

With no API configured, Prefect starts this same server itself
(`prefect.server.api.server.SubprocessASGIServer`), but only at the run's first
API call: after the run has imported the pipeline, and after importing the
server package in this process just to start it. A one-off run then waited
for each in turn (of the 14 s a run of 1,000 documents took, 10 s were
orchestration). Here the server process is started first, boots on the other
core while this process imports the pipeline, and the run is pointed at it.

It is Prefect's own server app started as SubprocessASGIServer starts it
(uvicorn, the services of an ephemeral server, no UI, the same database);
tests/test_temporary_api.py keeps the command the same as Prefect's. Like
Prefect's, it is stopped when the process exits, after Prefect has sent the
run's last logs and events; on Linux it is also stopped when the run is
killed. With an API configured (a running server, the
test harness) nothing is started.
"""
from __future__ import annotations

import atexit
import ctypes
import importlib.util
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import ContextManager, Iterator

# As SubprocessASGIServer: no UI, the ephemeral set of services, and the last
# app the process creates.
SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
PORTS = range(8000, 9000)           # where SubprocessASGIServer looks for a free port
PORT_TAKEN = 3                      # uvicorn's exit status when the port was taken meanwhile
POLL = 0.05                         # seconds between health checks while it boots
PR_SET_PDEATHSIG = 1                # prctl(2): a signal for the child when its parent dies


class TemporaryAPI:
    """Prefect's API server in a child process, on a free loopback port."""

    def __init__(self):
        prefect_package = Path(importlib.util.find_spec("prefect").origin).parent
        self.app_dir = str(prefect_package.parent)     # what SubprocessASGIServer passes
        self.env = {**os.environ, **SERVER_ENV}
        self.port = free_port()
        self.process = self._spawn()
        atexit.register(self.stop)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "uvicorn", "--app-dir", self.app_dir,
                "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1",
                "--port", str(self.port), "--log-level", "error", "--lifespan", "on"]

    def _spawn(self) -> subprocess.Popen:
        linux = sys.platform.startswith("linux")
        return subprocess.Popen(self.command(), env=self.env,
                                preexec_fn=_stop_with(os.getpid()) if linux else None)

    def wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.process.poll()
            if status == PORT_TAKEN:
                self.port = free_port()
                self.process = self._spawn()
            elif status is not None:
                raise RuntimeError(f"the temporary Prefect server exited with status {status}")
            elif _healthy(self.url):
                return
            time.sleep(POLL)
        raise RuntimeError(f"the temporary Prefect server did not answer within {timeout} s")

    @contextmanager
    def in_use(self) -> Iterator[str]:
        """Wait for the server, then point Prefect at it. Without flow run
        heartbeats: they let a server notice a run that died, and this one dies
        with the run; ending the heartbeat thread held up the end of every
        flow run by one to two seconds."""
        from prefect.settings import (PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
                                      get_current_settings, temporary_settings)
        timeout, port = get_current_settings().server.ephemeral.startup_timeout_seconds, self.port
        # The settings are made while the server boots (validating them takes a moment).
        with temporary_settings(updates={PREFECT_API_URL: self.url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            self.wait_until_ready(timeout)
            moved = self.port != port      # its port was taken meanwhile, and it started on another
            with temporary_settings(updates={PREFECT_API_URL: self.url}) if moved else nullcontext():
                yield self.url

    def stop(self, quietly: bool = False) -> None:
        if self.process.poll() is None:
            if not quietly:
                from prefect.logging import get_logger
                get_logger().info("Stopping temporary server on http://127.0.0.1:%d", self.port)
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _stop_with(parent: int):
    """In the child before it runs the server: ask Linux to send it SIGTERM
    when the run's process dies. `atexit` does not run when the run is killed
    (SIGKILL, the OOM killer), and the server would outlive it."""
    def arrange() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:       # the run died before the request was made
            os._exit(1)
    return arrange


def start_if_needed() -> TemporaryAPI | None:
    """Start a temporary server now if runs in this process will need one: no
    API is configured and Prefect's ephemeral mode is on.

    In a fresh process whose environment names no API it is started before
    Prefect is even imported; should Prefect's settings (a profile,
    prefect.toml) name one after all, it is stopped again."""
    fresh = "prefect" not in sys.modules and not os.environ.get("PREFECT_API_URL")
    api = TemporaryAPI() if fresh else None
    from prefect.logging import get_logger
    from prefect.logging.configuration import ensure_logging_setup
    from prefect.settings import get_current_settings
    settings = get_current_settings()
    if settings.api.url or not settings.server.ephemeral.enabled:
        if api:
            api.stop(quietly=True)
        return None
    api = api or TemporaryAPI()
    ensure_logging_setup()        # as importing prefect's flow machinery would, a moment later
    get_logger().info("Starting temporary server on http://127.0.0.1:%d", api.port)
    return api


def use(api: TemporaryAPI | None) -> ContextManager:
    """Run the block against the temporary server (waiting for it), or as configured."""
    return api.in_use() if api else nullcontext()


def free_port() -> int:
    for _ in range(10):
        port = random.choice(PORTS)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind(("127.0.0.1", port))
                return port
            except OSError:
                time.sleep(random.uniform(0.1, 0.5))
    raise RuntimeError("no free port for a temporary Prefect server")


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))   # loopback: no proxy


def _healthy(api_url: str) -> bool:
    try:
        with _DIRECT.open(f"{api_url}/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False
