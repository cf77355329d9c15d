"""PubMed through E-utilities against a fake NCBI on 127.0.0.1."""
from __future__ import annotations

import bisect
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from werkzeug import Request, Response

from data.store import EvidenceStore
from flows.settings import Settings
from flows.sources import SourceStats, pubmed
from flows.sources.http import Job, throttle

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "live"))
from live_fixtures import (FakeEutils, efetch_xml, esearch_xml, fast_session, latest,  # noqa: E402
                           make_settings, pmids, run_source)

MARCH = date(2024, 3, 12)


def test_1000_records_take_one_esearch_and_two_efetches(httpserver, tmp_path):
    ids = pmids(1000)
    fake = FakeEutils({p: MARCH for p in ids}, nct={ids[7]: "NCT04000001"}).install(httpserver)
    settings = make_settings(tmp_path, httpserver, ncbi_api_key="test-key")
    store = EvidenceStore.open(tmp_path)

    stats = run_source("pubmed", store, settings)

    assert stats.ok and not stats.failures
    assert stats.counts.new == 1000
    assert stats.requests == len(httpserver.log) == 3
    search = fake.searches[0]
    assert (search["usehistory"], search["retmax"], search["db"]) == ("y", "0", "pubmed")
    assert "ketamine[tiab]" in search["term"] and "PTSD[tiab]" in search["term"]
    assert [(f["retstart"], f["retmax"], f["WebEnv"], f["query_key"]) for f in fake.fetches] == [
        ("0", "500", "MCID_0", "1"), ("500", "500", "MCID_0", "1")]
    for args in fake.searches + fake.fetches:
        assert (args["tool"], args["email"], args["api_key"]) == (
            "ketamine-evidence", "evidence@example.org", "test-key")
    docs = latest(store)
    assert docs[f"pmid:{ids[7]}"]["nct_id"] == "NCT04000001"
    assert docs[f"pmid:{ids[0]}"]["origin"] == "pubmed"


def test_more_than_10000_hits_are_sliced_by_entrez_date(httpserver, tmp_path, monkeypatch):
    # 25,000 records spread over 2000-2024; esearch counts what each date range holds.
    first, days = date(2000, 1, 1), (date(2024, 12, 31) - date(2000, 1, 1)).days + 1
    edats = [first + timedelta(days=i * days // 25_000) for i in range(25_000)]
    searches, fetches = [], []

    def esearch(request):
        a = request.args
        lo = datetime.strptime(a["mindate"], "%Y/%m/%d").date() if "mindate" in a else date.min
        hi = datetime.strptime(a["maxdate"], "%Y/%m/%d").date() if "maxdate" in a else date.max
        count = bisect.bisect_right(edats, hi) - bisect.bisect_left(edats, lo)
        searches.append((a.get("mindate"), a.get("maxdate"), count))
        return Response(esearch_xml(count, f"MCID_{len(searches)}"), content_type="text/xml")

    def efetch(request):
        fetches.append((request.args["WebEnv"], int(request.args["retstart"])))
        return Response(efetch_xml([str(40_000_000 + len(fetches))]), content_type="text/xml")

    httpserver.expect_request("/eutils/esearch.fcgi").respond_with_handler(esearch)
    httpserver.expect_request("/eutils/efetch.fcgi").respond_with_handler(efetch)
    # ~60 requests: lift NCBI's rate for this test only (the limiter has its own test).
    monkeypatch.setattr(pubmed, "_throttle", lambda job: throttle(job.settings.eutils_url, 1000))

    stats = run_source("pubmed", EvidenceStore.open(tmp_path), make_settings(tmp_path, httpserver))

    assert stats.ok, stats.failures
    assert searches[0] == (None, None, 25_000)
    fetched = {f"MCID_{i + 1}": s for i, s in enumerate(searches) if s[2] and s[2] <= 10_000}
    assert sum(count for _, _, count in fetched.values()) == 25_000
    for webenv, (lo, hi, count) in fetched.items():
        assert lo and hi and count <= 10_000
        assert [start for env, start in fetches if env == webenv] == list(range(0, count, 500))
    assert {env for env, _ in fetches} == set(fetched)


def test_truncated_efetch_is_quarantined_and_the_other_batches_kept(httpserver, tmp_path):
    ids = pmids(1500)
    fake = FakeEutils({p: MARCH for p in ids}).install(httpserver)
    fake.truncate = {500}
    store = EvidenceStore.open(tmp_path)

    stats = run_source("pubmed", store, make_settings(tmp_path, httpserver, ncbi_api_key="k"))

    assert not stats.ok and stats.requests == 4
    [failure] = stats.failures
    assert failure.item == "efetch all dates records 501-1000"
    assert "malformed payload (" in failure.reason and "XML" in failure.reason
    assert "quarantined at" in failure.reason
    [saved] = (tmp_path / "quarantine").iterdir()
    assert saved.name.startswith("pubmed-") and saved.suffix == ".xml"
    assert saved.read_bytes().startswith(b"<?xml") and b"</PubmedArticleSet>" not in saved.read_bytes()
    stored = set(latest(store))
    assert {f"pmid:{p}" for p in ids[:500] + ids[1000:]} <= stored
    assert 1000 < len(stored) < 1500          # complete articles before the cut are kept


def test_second_run_asks_by_entrez_date_and_fetches_nothing_when_nothing_is_new(httpserver, tmp_path):
    fake = FakeEutils({p: MARCH for p in pmids(20)}).install(httpserver)
    settings = make_settings(tmp_path, httpserver, ncbi_api_key="k")
    store = EvidenceStore.open(tmp_path)
    run_source("pubmed", store, settings)
    fake.searches.clear(), fake.fetches.clear()

    second = run_source("pubmed", store, settings)

    today = datetime.now(timezone.utc).date()
    eastern = (datetime.now(timezone.utc) - timedelta(hours=5)).date()
    [search] = fake.searches
    assert (search["datetype"], search["mindate"]) == ("edat", f"{eastern:%Y/%m/%d}")
    assert search["maxdate"] == f"{today + timedelta(days=1):%Y/%m/%d}"
    assert second.ok and second.requests == 1 and not fake.fetches

    fake.records["39999999"] = today
    third = run_source("pubmed", store, settings)
    assert third.requests == 2 and third.counts.new == 1


def test_explicit_pmids_are_posted_in_batches_of_500(httpserver, tmp_path):
    fake = FakeEutils({}).install(httpserver)
    settings = make_settings(tmp_path, httpserver, ncbi_api_key="k")
    store = EvidenceStore.open(tmp_path)
    job = Job("PubMed", store, settings, fast_session(settings), SourceStats("pubmed"), None, None)

    pubmed.fetch_ids(job, pmids(600))

    assert [f["method"] for f in fake.fetches] == ["POST", "POST"]
    assert [len(f["id"].split(",")) for f in fake.fetches] == [500, 100]
    assert job.stats.counts.new == 600 and job.stats.requests == 2


def _posted_id_lists(httpserver) -> list[list[str]]:
    """The id lists POSTed to efetch, in order; none may travel in the URL."""
    posts = [req for req, _ in httpserver.log if req.method == "POST"]
    assert all("id" not in req.args for req in posts)
    return [req.form["id"].split(",") for req in posts]


def test_pmids_are_fetched_by_id_in_batches_then_searched_and_stored_once(httpserver, tmp_path):
    searched = pmids(3)
    asked = [searched[2], "39000001", "39000002", "39000001", "39000003"]
    FakeEutils({p: MARCH for p in searched}).install(httpserver)
    store = EvidenceStore.open(tmp_path)
    settings = make_settings(tmp_path, httpserver, ncbi_api_key="k", pubmed_batch=2)

    stats = run_source("pubmed", store, settings, pmids=asked)

    assert stats.ok and not stats.failures
    assert _posted_id_lists(httpserver) == [[searched[2], "39000001"], ["39000002", "39000003"]]
    assert set(latest(store)) == {f"pmid:{p}" for p in searched + ["39000001", "39000002", "39000003"]}
    assert latest(store)["pmid:39000002"]["origin"] == "pubmed"
    # searched[2] came by id first, then the search found it unchanged
    assert (stats.counts.new, stats.counts.unchanged) == (6, 1)


@pytest.mark.parametrize("status", [429, 500])
def test_a_failing_id_batch_is_reported_and_the_later_batches_stored(httpserver, tmp_path, status):
    asked = pmids(6, start=39_000_000)
    fake = FakeEutils({})

    def efetch(request: Request) -> Response:
        if asked[2] in request.form.get("id", ""):
            return Response("busy", status=status)
        return fake.efetch(request)
    httpserver.expect_request("/eutils/efetch.fcgi").respond_with_handler(efetch)
    fake.install(httpserver)
    store = EvidenceStore.open(tmp_path)
    settings = make_settings(tmp_path, httpserver, ncbi_api_key="k", pubmed_batch=2)

    stats = run_source("pubmed", store, settings, pmids=asked)

    assert not stats.ok
    [failure] = stats.failures
    assert failure.item == f"efetch ids {asked[2]}..{asked[3]}"
    assert f"PubMed answered HTTP {status}" in failure.reason
    assert set(latest(store)) == {f"pmid:{p}" for p in asked[:2] + asked[4:]}
    # the failing batch is tried five times (four retries), then the next one is asked for
    assert _posted_id_lists(httpserver) == [asked[:2]] + [asked[2:4]] * 5 + [asked[4:]]
    assert fake.searches                                      # and the topic search still ran


def test_unreachable_ncbi_is_reported_not_raised(tmp_path):
    settings = Settings(workdir=tmp_path, eutils_url="http://127.0.0.1:9/eutils", timeout=1.0)

    stats = run_source("pubmed", EvidenceStore.open(tmp_path), settings,
                       session=fast_session(settings, retries=1))

    assert not stats.ok
    [failure] = stats.failures
    assert failure.reason.startswith(
        "could not reach PubMed at http://127.0.0.1:9/eutils/esearch.fcgi: ConnectionError")
    assert stats.requests == 2              # the attempt and its retry
