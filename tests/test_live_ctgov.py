"""ClinicalTrials.gov API v2 against a fake on 127.0.0.1."""
from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from data.store import EvidenceStore

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "live"))
from live_fixtures import (FakeCtgov, ctgov_study, latest, make_settings, paged,  # noqa: E402
                           run_source)


def _pages(sizes: list[int]) -> list[list[dict]]:
    return paged(lambda i: ctgov_study(i, with_results=i % 3 == 0), sizes)


def test_pages_are_followed_to_the_end_and_results_kept(httpserver, tmp_path):
    fake = FakeCtgov(_pages([150, 150, 40])).install(httpserver)
    store = EvidenceStore.open(tmp_path)

    stats = run_source("ctgov", store, make_settings(tmp_path, httpserver))

    assert stats.ok and not stats.failures
    assert stats.counts.new == 340 and stats.requests == 3
    assert [r.get("pageToken") for r in fake.requests] == [None, "t1", "t2"]
    first = fake.requests[0]
    assert (first["pageSize"], first["format"]) == ("1000", "json")
    assert "Treatment Resistant Depression" in first["query.cond"] and "PTSD" in first["query.cond"]
    assert "esketamine" in first["query.intr"] and "filter.advanced" not in first
    trial = latest(store)["nct:NCT04000000"]["record"]["trial"]
    primary, secondary = trial["results"]["outcome_measures"]
    assert primary["analyses"][0]["p_value"] == "<0.0001"          # kept as the registry wrote it
    assert primary["analyses"][0]["ci_lower"] == -11.4
    assert [g["n"] for g in primary["groups"]] == [47, None]        # count missing for midazolam
    assert [g["n"] for g in secondary["groups"]] == [47, None]      # count "NA"
    assert latest(store)["nct:NCT04000001"]["record"]["trial"]["results"] is None


def test_second_run_asks_for_studies_updated_since_the_last_one(httpserver, tmp_path):
    fake = FakeCtgov(_pages([5])).install(httpserver)
    settings = make_settings(tmp_path, httpserver)
    store = EvidenceStore.open(tmp_path)
    run_source("ctgov", store, settings)

    second = run_source("ctgov", store, settings)

    eastern = (datetime.now(timezone.utc) - timedelta(hours=5)).date()
    assert second.ok and second.requests == 1
    assert fake.requests[-1]["filter.advanced"] == f"AREA[LastUpdatePostDate]RANGE[{eastern:%Y-%m-%d},MAX]"
