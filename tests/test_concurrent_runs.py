"""Two `ketamine-evidence run` processes on one store: one writes at a time, and
the store ends as one run alone leaves it, with one complete report folder.
On SQLite and, when KETEV_TEST_POSTGRES_URL is set, on PostgreSQL."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from data.integrity import check_integrity
from data.store import EvidenceStore
from flows.pipeline import pipeline

REPORT_FILES = {"index.html", "report.md", "claims.csv", "outcomes.csv", "sources.csv", "evidence.ris"}
WAITING = "another run is writing to this store"
# Beyond the store's own integrity checks (data/integrity.py): a failure told twice in one run.
DUPLICATE_FAILURES = "SELECT source, item FROM failures GROUP BY run_id, source, item HAVING COUNT(*) > 1"
pytestmark = pytest.mark.e2e


def start_run(workdir: Path, inputs: Path, api_url: str, db_url: str | None, log: Path,
              *options: str) -> subprocess.Popen:
    env = dict(os.environ, PREFECT_API_URL=api_url, KETEV_EXTRACT_BATCH_SIZE="5")
    if db_url:
        env["KETEV_DATABASE_URL"] = db_url
    return subprocess.Popen([sys.executable, "-m", "flows.cli", "run", "--no-live", "--from", str(inputs),
                             "--workdir", str(workdir), *options],
                            stdout=log.open("w"), stderr=subprocess.STDOUT, env=env)


def wait_for(condition, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_two_runs_on_one_store_take_turns_and_leave_no_duplicates(
        prefect_api_url, abstracts_folder, tmp_path, store_url):
    workdir = tmp_path / "wd"
    store = EvidenceStore.open(workdir, store_url)
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    # Hold the store while both start, so that they are sure to meet at the lock.
    with store.writer_lock(wait=0):
        procs = [start_run(workdir, abstracts_folder, prefect_api_url, store_url, log) for log in logs]
        wait_for(lambda: all(WAITING in log.read_text() for log in logs))
    assert [p.wait(timeout=180) for p in procs] == [0, 0], [log.read_text()[-3000:] for log in logs]

    first, second = sorted(store.list_runs(), key=lambda r: r.started_at)
    assert first.status == second.status == "completed"
    assert second.started_at >= first.finished_at              # one after the other
    latest = workdir / "reports" / "latest"
    assert {p.name for p in latest.iterdir()} == REPORT_FILES
    assert [p.name for p in latest.parent.iterdir()] == ["latest"]     # no half-built folder left

    # As much evidence as one run alone stores, and nothing twice.
    alone = tmp_path / "alone"
    pipeline(paths=[str(abstracts_folder)], live=False, workdir=str(alone))
    assert store.counts() == EvidenceStore.open(alone).counts()
    assert store.pending_extraction_pks() == []
    assert check_integrity(store.engine) == []
    with store.engine.connect() as conn:
        assert conn.execute(text(DUPLICATE_FAILURES)).all() == []
    store.engine.dispose()


def test_a_run_that_cannot_get_the_store_in_time_says_so(prefect_api_url, abstracts_folder, tmp_path):
    # SQLite only: tests/test_store.py gives up on a busy PostgreSQL store.
    workdir = tmp_path / "wd"
    store = EvidenceStore.open(workdir)
    log = tmp_path / "run.log"
    with store.writer_lock(wait=0):
        holder = store.start_run({})
        proc = start_run(workdir, abstracts_folder, prefect_api_url, None, log, "--wait", "1")
        assert proc.wait(timeout=120) == 3
    output = log.read_text()
    assert f"is busy: run {holder}" in output and "--wait" in output
    assert "Traceback" not in output
    assert [r.id for r in store.list_runs()] == [holder]       # the refused run wrote nothing
    assert store.counts()["documents"] == 0
