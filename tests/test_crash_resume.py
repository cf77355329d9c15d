"""Crash and resume: `run` processes killed with SIGKILL at random points.

After every kill the store must pass the integrity check and `reports/latest`
must be absent or complete; a final run finishes the work and leaves exactly
what an uninterrupted run leaves.
"""
from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from data.integrity import check_integrity
from data.store import EvidenceStore

FIXTURE = Path(__file__).parent / "fixtures" / "e2e" / "pubmed_ketamine.xml"
REPORT_FILES = {"index.html", "report.md", "claims.csv", "outcomes.csv", "sources.csv", "evidence.ris"}
pytestmark = pytest.mark.e2e


def write_export(path: Path, n: int) -> Path:
    """n abstracts: the fixture's two articles replicated under distinct PMIDs."""
    text = FIXTURE.read_text()
    articles = re.findall(r"<PubmedArticle>.*?</PubmedArticle>", text, re.S)
    with path.open("w") as out:
        out.write('<?xml version="1.0"?>\n<PubmedArticleSet>\n')
        for i in range(n):
            out.write(re.sub(r"9000000\d", str(70_000_000 + i), articles[i % len(articles)]))
        out.write("</PubmedArticleSet>\n")
    return path


def start_run(export: Path, workdir: Path, api_url: str) -> subprocess.Popen:
    env = {**os.environ, "PREFECT_API_URL": api_url, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    cmd = [str(Path(sys.executable).parent / "ketamine-evidence"), "run", "--from", str(export),
           "--no-live", "--workdir", str(workdir)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)


def assert_sound(workdir: Path) -> None:
    store = EvidenceStore.open(workdir)
    assert check_integrity(store.engine) == []
    latest = workdir / "reports" / "latest"
    assert not latest.exists() or {p.name for p in latest.iterdir()} == REPORT_FILES
    store.engine.dispose()


def counts(workdir: Path) -> dict[str, int]:
    store = EvidenceStore.open(workdir)
    try:
        return store.counts()
    finally:
        store.engine.dispose()


@pytest.fixture(scope="module")
def api_url(prefect_harness) -> str:
    from prefect.settings import PREFECT_API_URL
    return PREFECT_API_URL.value()


def test_killed_runs_lose_nothing_and_duplicate_nothing(api_url, tmp_path):
    export = write_export(tmp_path / "export.xml", 800)
    reference = tmp_path / "reference"
    started = time.monotonic()
    proc = start_run(export, reference, api_url)
    assert proc.wait(timeout=300) == 0, proc.stderr.read().decode()[-2000:]
    full = time.monotonic() - started

    seed = random.randrange(10**6)
    rng = random.Random(seed)
    workdir = tmp_path / "crashing"
    for attempt in range(3):
        proc = start_run(export, workdir, api_url)
        time.sleep(rng.uniform(0.3, full * 0.9))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert_sound(workdir), f"seed {seed}, kill {attempt}"

    proc = start_run(export, workdir, api_url)
    assert proc.wait(timeout=300) == 0, proc.stderr.read().decode()[-2000:]
    assert_sound(workdir)
    assert counts(workdir) == counts(reference), f"seed {seed}"
    assert [p.name for p in (workdir / "reports").iterdir()] == ["latest"]   # no half-built leftovers
