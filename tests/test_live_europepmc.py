"""Europe PMC search (cursor paging, PubMed merge, full text) against a fake on 127.0.0.1."""
from __future__ import annotations

import io
import sys
from datetime import datetime, timezone
from pathlib import Path

from data.store import EvidenceStore
from flows.sources import europepmc
from flows.sources.parsers import iter_pubmed_articles

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "live"))
from live_fixtures import (FakeEuropePMC, efetch_xml, europepmc_result, jats_article,  # noqa: E402
                           latest, make_settings, paged, pmids, run_source)


def _pages(sizes: list[int]) -> list[list[dict]]:
    return paged(lambda i: europepmc_result(i, pmid=str(38_000_000 + i)), sizes)


def test_cursor_paging_runs_to_the_last_page(httpserver, tmp_path):
    fake = FakeEuropePMC(_pages([120, 120, 60])).install(httpserver)
    store = EvidenceStore.open(tmp_path)

    stats = run_source("europepmc", store, make_settings(tmp_path, httpserver))

    assert stats.ok and not stats.failures
    assert [r["cursorMark"] for r in fake.requests] == ["*", "c1", "c2"]
    assert {(r["resultType"], r["format"], r["pageSize"]) for r in fake.requests} == {("core", "json", "1000")}
    assert "esketamine" in fake.requests[0]["query"] and "FIRST_IDATE" not in fake.requests[0]["query"]
    assert stats.counts.new == 300 and stats.requests == 3
    doc = latest(store)["pmid:38000000"]
    assert doc["origin"] == "europepmc" and doc["pmcid"] == "PMC10000000"


def test_a_cursor_that_never_ends_is_cut_off(httpserver, tmp_path, monkeypatch):
    monkeypatch.setattr(europepmc, "MAX_PAGES", 4)
    FakeEuropePMC(_pages([5]), endless=True).install(httpserver)

    stats = run_source("europepmc", EvidenceStore.open(tmp_path), make_settings(tmp_path, httpserver))

    assert stats.requests == 4 and not stats.ok
    assert "stopped after 4 pages" in stats.failures[0].reason


def test_records_already_stored_from_pubmed_are_merged_not_versioned(httpserver, tmp_path):
    store = EvidenceStore.open(tmp_path)
    in_pubmed = pmids(50)
    store.ingest(iter_pubmed_articles(io.BytesIO(efetch_xml(in_pubmed).encode())))
    results = ([europepmc_result(i, pmid=p) for i, p in enumerate(in_pubmed)]            # in PubMed
               + [europepmc_result(100 + i, pmid=str(39_000_000 + i)) for i in range(10)]  # not yet
               + [europepmc_result(200 + i) for i in range(5)])                            # preprints
    FakeEuropePMC([results]).install(httpserver)

    stats = run_source("europepmc", store, make_settings(tmp_path, httpserver))

    assert (stats.counts.new, stats.counts.updated, stats.counts.unchanged) == (15, 0, 50)
    docs = latest(store)
    assert len(docs) == 65
    kept = docs[f"pmid:{in_pubmed[0]}"]
    assert (kept["version"], kept["origin"], kept["record"]["raw_format"]) == (1, "pubmed", "pubmed_xml")
    assert docs["pmid:39000000"]["origin"] == "europepmc"
    assert docs["epmc:PPR:PPR800200"]["pmid"] is None


def test_open_access_full_text_is_fetched_when_asked(httpserver, tmp_path):
    results = [europepmc_result(1, pmid="38000001", open_access=True),
               europepmc_result(2, pmid="38000002")]
    FakeEuropePMC([results]).install(httpserver)
    httpserver.expect_request("/europepmc/PMC10000001/fullTextXML").respond_with_data(
        jats_article("38000001", "PMC10000001"), content_type="application/xml")
    store = EvidenceStore.open(tmp_path)

    stats = run_source("europepmc", store, make_settings(tmp_path, httpserver), full_text=True)

    assert stats.ok and stats.requests == 2 and stats.counts.new == 3
    full = latest(store)["pmc:PMC10000001"]
    assert full["record"]["raw_format"] == "jats" and "11.9 points" in full["record"]["text"]
    assert latest(store)["pmid:38000001"]["record"]["raw_format"] == "europepmc_json"


def test_invalid_json_page_is_quarantined_and_earlier_pages_kept(httpserver, tmp_path):
    fake = FakeEuropePMC(_pages([30, 30, 30])).install(httpserver)
    fake.broken = {1}
    store = EvidenceStore.open(tmp_path)

    stats = run_source("europepmc", store, make_settings(tmp_path, httpserver))

    assert not stats.ok and stats.requests == 2 and stats.counts.new == 30
    [failure] = stats.failures
    assert failure.item.endswith("/europepmc/search page 2") and "invalid JSON" in failure.reason
    [saved] = (tmp_path / "quarantine").glob("europepmc-*.json")
    assert saved.read_text().startswith('{"version": "6.9"')


def test_second_run_filters_by_index_date_and_reads_one_page(httpserver, tmp_path):
    settings = make_settings(tmp_path, httpserver)
    store = EvidenceStore.open(tmp_path)
    fake = FakeEuropePMC(_pages([10, 10])).install(httpserver)
    run_source("europepmc", store, settings)
    fake.requests.clear()

    second = run_source("europepmc", store, settings)

    assert second.ok and second.requests == 1
    [request] = fake.requests
    day = f"{datetime.now(timezone.utc):%Y-%m-%d}"
    assert f"FIRST_IDATE:[{day} TO 3000-01-01]" in request["query"]
    assert f"UPDATE_DATE:[{day} TO 3000-01-01]" in request["query"]
