"""A one-off run's temporary Prefect API: Prefect's own server, started the way
Prefect starts it, and a run against it recorded like any other."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows import temporary_api

FIXTURES = Path(__file__).parent / "fixtures" / "e2e"


def test_the_server_is_started_as_prefect_starts_its_temporary_server(monkeypatch):
    """The same command and server environment as SubprocessASGIServer, so that
    upgrading Prefect cannot leave the two apart unnoticed."""
    from prefect.server.api import server as prefect_server
    started = []
    monkeypatch.setattr(subprocess, "Popen", lambda args, env, **_: started.append((args, env)))
    monkeypatch.setattr(temporary_api.atexit, "register", lambda fn: None)
    ours = temporary_api.TemporaryAPI()
    prefect_server.SubprocessASGIServer(port=ours.port)._run_uvicorn_command()
    (our_args, our_env), (prefect_args, prefect_env) = started
    assert our_args == prefect_args
    assert {k: our_env[k] for k in temporary_api.SERVER_ENV} == \
        {k: prefect_env[k] for k in temporary_api.SERVER_ENV}
    assert ours.url == prefect_server.SubprocessASGIServer(port=ours.port).api_url


class FakeServer:
    def __init__(self, status):
        self.status = status

    def poll(self):
        return self.status


def test_a_server_whose_port_was_taken_meanwhile_starts_on_another_and_the_run_follows(monkeypatch):
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY

    servers = iter([FakeServer(temporary_api.PORT_TAKEN), FakeServer(None)])
    ports = iter([8101, 8102])
    monkeypatch.setattr(temporary_api, "free_port", lambda: next(ports))
    monkeypatch.setattr(temporary_api.TemporaryAPI, "_spawn", lambda self: next(servers))
    monkeypatch.setattr(temporary_api.atexit, "register", lambda fn: None)
    monkeypatch.setattr(temporary_api, "_healthy", lambda url: True)
    api = temporary_api.TemporaryAPI()
    first = api.url
    with api.in_use() as url:
        assert first.endswith(":8101/api") and url.endswith(":8102/api")
        assert PREFECT_API_URL.value() == url
        assert PREFECT_FLOWS_HEARTBEAT_FREQUENCY.value() is None     # nobody watches this server


def test_nothing_is_started_when_an_api_is_configured(prefect_harness, monkeypatch):
    monkeypatch.setattr(temporary_api, "TemporaryAPI", lambda settings: pytest.fail("started"))
    assert temporary_api.start_if_needed() is None


@pytest.mark.e2e
def test_a_one_off_run_is_a_prefect_flow_run_with_its_task_runs_and_artifacts(tmp_path):
    """No API configured: the run starts the temporary server, and Prefect's
    database records the flow run, its task runs and the run's artifacts."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false")
    cmd = [str(Path(sys.executable).parent / "ketamine-evidence"), "run", "--no-live",
           "--from", str(FIXTURES), "--workdir", str(tmp_path / "wd")]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Starting temporary server" in done.stderr and "Stopping temporary server" in done.stderr
    with sqlite3.connect(tmp_path / "prefect" / "prefect.db") as db:
        (flow_state,) = db.execute("SELECT state_type FROM flow_run").fetchone()
        tasks = dict(db.execute("SELECT task_key, state_type FROM task_run").fetchall())
        artifacts = {k for (k,) in db.execute("SELECT key FROM artifact")}
    assert flow_state == "COMPLETED"
    assert {k.split("-")[0] for k in tasks} >= {"import_files", "extract_batch", "judge_claims",
                                                 "write_reports"}
    assert set(tasks.values()) == {"COMPLETED"}
    assert {"ketamine-evidence-summary", "ketamine-evidence-report"} <= artifacts


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_a_killed_run_takes_its_server_with_it(tmp_path):
    """SIGKILL skips atexit; the server must not outlive the run all the same.
    A stand-in server (a sleeping Python) keeps the test fast."""
    run = subprocess.Popen([sys.executable, "-c", f"""
import sys, time
sys.path.insert(0, {str(Path(__file__).parents[1])!r})
from flows import temporary_api
temporary_api.TemporaryAPI.command = lambda self: [sys.executable, "-c", "import time; time.sleep(60)"]
api = temporary_api.TemporaryAPI()
print(api.process.pid, flush=True)
time.sleep(60)
"""], stdout=subprocess.PIPE, text=True)
    server = int(run.stdout.readline())
    assert _alive(server)
    run.kill()
    run.wait()
    deadline = time.monotonic() + 10
    while _alive(server) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(server)


def _alive(pid: int) -> bool:
    try:                                   # a zombie (dead, not yet reaped by init) counts as gone
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False
