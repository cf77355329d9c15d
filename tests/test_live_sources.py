"""The live registry: topics as data, `collect_source` never raising, and
incremental runs of all four sources together."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from data.store import EvidenceStore
from data.topics import load_topics, queries_for
from flows.settings import Settings
from flows.sources.live import LIVE_SOURCES, collect_source

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "live"))
from live_fixtures import (FakeCtgov, FakeEuropePMC, FakeEutils, ctgov_study,  # noqa: E402
                           europepmc_result, fast_session, make_settings, pmids,
                           serve_clinic_page, web_test_env)


def test_topics_define_every_service_query_per_condition():
    topics = load_topics()
    assert set(topics["conditions"]) == {"trd", "ptsd", "ocd", "chronic_pain"}
    for terms in topics["conditions"].values():
        assert {"pubmed", "europepmc", "ctgov_cond"} <= set(terms)
    both = queries_for(["trd", "ocd"])
    assert both.conditions == ("trd", "ocd")
    assert '"Depressive Disorder, Treatment-Resistant"[MeSH]' in both.pubmed
    assert '"Obsessive-Compulsive Disorder"[MeSH]' in both.pubmed and "PTSD" not in both.pubmed
    assert both.pubmed.startswith('("Ketamine"[MeSH] OR ketamine[tiab] OR esketamine[tiab]')
    assert "Refractory Depression" in both.ctgov_cond and "esketamine" in both.ctgov_intr
    assert queries_for(None).conditions == ("trd", "ptsd", "ocd", "chronic_pain")


def test_unknown_condition_names_the_valid_ones():
    with pytest.raises(ValueError, match="unknown condition.*bipolar.*valid conditions: "
                                         "chronic_pain, ocd, ptsd, trd"):
        queries_for(["trd", "bipolar"])


def test_collect_source_reports_instead_of_raising(tmp_path):
    store = EvidenceStore.open(tmp_path)
    settings = Settings(workdir=tmp_path)          # no request is made: both fail before

    unknown = collect_source("scopus", store, settings, ["trd"], None)
    bad_condition = collect_source("pubmed", store, settings, ["bipolar"], None)

    assert not unknown.ok and "live sources: pubmed, europepmc, ctgov, web" in unknown.failures[0].reason
    assert not bad_condition.ok and bad_condition.requests == 0
    assert "valid conditions" in bad_condition.failures[0].reason


def _run_all(store, settings, urls):
    """One pipeline run over every live source, recorded as the flow records it."""
    run_id = store.start_run({})
    stats = {name: collect_source(name, store, settings, ["trd"], run_id, urls=urls,
                                  session=fast_session(settings)) for name in LIVE_SOURCES}
    store.update_run(run_id, status="completed",
                     source_stats={name: s.as_json() for name, s in stats.items()})
    return stats


def test_second_run_asks_only_for_what_is_new(httpserver, tmp_path, monkeypatch):
    web_test_env(monkeypatch, tmp_path)
    eutils = FakeEutils({p: date(2024, 3, 12) for p in pmids(600)}).install(httpserver)
    epmc = FakeEuropePMC([[europepmc_result(i, pmid=str(39_000_000 + i)) for i in range(40)]] * 2)
    epmc.install(httpserver)
    FakeCtgov([[ctgov_study(i) for i in range(30)]]).install(httpserver)
    page = serve_clinic_page(httpserver)
    settings = make_settings(tmp_path, httpserver, ncbi_api_key="k")
    store = EvidenceStore.open(tmp_path)

    first = _run_all(store, settings, [page])
    assert {n: (s.ok, s.counts.new, s.requests) for n, s in first.items()} == {
        "pubmed": (True, 600, 3), "europepmc": (True, 40, 2), "ctgov": (True, 30, 1),
        "web": (True, 1, 2)}
    eutils.fetches.clear()

    second = _run_all(store, settings, [page])

    assert all(s.ok and not s.failures for s in second.values())
    assert {n: s.requests for n, s in second.items()} == {
        "pubmed": 1, "europepmc": 1, "ctgov": 1, "web": 1}
    assert not eutils.fetches                                  # esearch said 0: no efetch
    assert second["web"].counts.unchanged == 1                 # a 304, no body
    assert sum(s.counts.new + s.counts.updated for s in second.values()) == 0
