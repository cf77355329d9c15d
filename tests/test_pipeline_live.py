"""Issue 3 end to end: `run` against local fakes of every live service.

The flow reads its endpoints from KETEV_EUTILS_URL / KETEV_EUROPEPMC_URL /
KETEV_CTGOV_URL, exactly as a researcher's run does.
"""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from flows.cli import main
from flows.pipeline import pipeline
from flows.stages import open_store

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "live"))
from live_fixtures import (FakeCtgov, FakeEuropePMC, FakeEutils, ctgov_study,  # noqa: E402
                           europepmc_result, pmids, serve_clinic_page, web_test_env)

pytestmark = pytest.mark.e2e
PUBMED = pmids(300)


@pytest.fixture
def services(httpserver, tmp_path, monkeypatch):
    """PubMed with 300 records, Europe PMC with 40 (10 of them PubMed's), 30 trials, one page."""
    web_test_env(monkeypatch, tmp_path)
    monkeypatch.setenv("KETEV_EUTILS_URL", f"http://127.0.0.1:{httpserver.port}/eutils")
    monkeypatch.setenv("KETEV_EUROPEPMC_URL", httpserver.url_for("/europepmc"))
    monkeypatch.setenv("KETEV_CTGOV_URL", httpserver.url_for("/ctgov"))
    monkeypatch.setenv("KETEV_HTTP_BACKOFF", "0.01")
    fakes = {
        "pubmed": FakeEutils({p: date(2024, 3, 12) for p in PUBMED}).install(httpserver),
        "europepmc": FakeEuropePMC([
            [europepmc_result(i, pmid=PUBMED[i]) for i in range(10)]
            + [europepmc_result(i) for i in range(10, 40)]]).install(httpserver),
    }
    page = serve_clinic_page(httpserver)
    return fakes, page, tmp_path


def run(workdir: Path, page: str) -> Path:
    return Path(pipeline(paths=[], live=True, workdir=str(workdir / "wd"),
                         conditions=["trd", "ptsd"], urls=[page]))


def test_run_collects_every_record_then_asks_only_for_what_is_new(prefect_harness, services, httpserver):
    fakes, page, tmp = services
    FakeCtgov([[ctgov_study(i) for i in range(30)]]).install(httpserver)

    report = run(tmp, page)
    store = open_store(str(tmp / "wd"))
    ids = {d["source_id"] for d in store.latest_documents()}
    assert {f"pmid:{p}" for p in PUBMED} <= ids
    assert len([i for i in ids if i.startswith("epmc:")]) == 30      # preprints; the 10 PMIDs merged
    assert len([i for i in ids if i.startswith("nct:")]) == 30
    assert len(ids) == 300 + 30 + 30 + 1
    stats = store.list_runs()[-1].source_stats
    assert stats["pubmed"]["requests"] <= 5 and all(s["ok"] for s in stats.values())
    sources = pd.read_csv(report / "sources.csv", keep_default_na=False)
    assert len(sources) == len(ids) and set(sources.status) == {"new"}

    fakes["pubmed"].fetches.clear()
    fakes["europepmc"].requests.clear()
    before = store.counts()
    report = run(tmp, page)
    assert store.counts() == before
    assert fakes["pubmed"].fetches == []                 # esearch found nothing new: no efetch
    assert len(fakes["europepmc"].requests) == 1         # first page only
    second = store.list_runs()[-1].source_stats
    assert second["web"]["unchanged"] == 1 and second["web"]["requests"] == 1   # a 304
    assert set(pd.read_csv(report / "sources.csv").status) == {"unchanged"}


def test_a_failing_service_is_named_and_the_rest_is_kept(prefect_harness, services, httpserver):
    _, page, tmp = services
    httpserver.expect_request("/ctgov/studies").respond_with_data("overloaded", status=503)

    report = run(tmp, page)
    store = open_store(str(tmp / "wd"))
    last = store.list_runs()[-1]
    assert last.status == "completed"
    assert not last.source_stats["ctgov"]["ok"] and last.source_stats["pubmed"]["ok"]
    assert any(f.source == "ctgov" and "503" in f.reason for f in last.failures)
    assert sum(1 for d in store.latest_documents() if d["source_id"].startswith("pmid:")) == 300
    markdown = (report / "report.md").read_text()
    assert "| ctgov | **no** |" in markdown and "HTTP 503" in markdown
    assert "ctgov" in (report / "index.html").read_text()


def test_pmids_given_to_run_are_fetched_by_id_beside_the_searches(prefect_harness, services, capsys):
    fakes, _, tmp = services
    extra = pmids(3, start=39_000_000)
    listed = tmp / "pmids.txt"
    listed.write_text(f"# also wanted\n{extra[2]}\n{PUBMED[0]}\n")

    assert main(["run", "--sources", "pubmed", "--conditions", "trd,ptsd", "--workdir", str(tmp / "wd"),
                 "--pmid", f"{extra[0]},PMID: {extra[1]}", "--pmid-file", str(listed)]) == 0

    assert "will not be fetched" not in capsys.readouterr().err
    [by_id] = [f for f in fakes["pubmed"].fetches if f["method"] == "POST"]
    assert by_id["id"].split(",") == [*extra, PUBMED[0]]
    store = open_store(str(tmp / "wd"))
    assert {d["source_id"] for d in store.latest_documents()} == {f"pmid:{p}" for p in PUBMED + extra}
    run = store.list_runs()[-1]
    assert run.parameters["pmids"] == [*extra, PUBMED[0]]
    assert run.source_stats["pubmed"]["new"] == 303 and run.source_stats["pubmed"]["unchanged"] == 1
