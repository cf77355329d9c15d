"""The shared HTTP layer: NCBI's rate across threads, retries on 429 / 5xx /
timeouts, and what a source reports when a service stays down."""
from __future__ import annotations

import bisect
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from email.utils import formatdate
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from data.store import EvidenceStore
from flows.sources.http import NonPublicAddress, _Retry, is_public_address, make_session
from flows.sources.live import collect_source

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "live"))
from live_fixtures import (FakeCtgov, FakeEutils, ctgov_study, fast_session,  # noqa: E402
                           make_settings, pmids, run_source)


def test_ncbi_gets_at_most_3_requests_in_any_second_from_all_threads(httpserver, tmp_path):
    fake = FakeEutils({p: date(2024, 3, 12) for p in pmids(1500)})
    arrivals: list[float] = []

    def timed(handler):
        def record(request):
            arrivals.append(time.monotonic())
            return handler(request)
        return record
    httpserver.expect_request("/eutils/esearch.fcgi").respond_with_handler(timed(fake.esearch))
    httpserver.expect_request("/eutils/efetch.fcgi").respond_with_handler(timed(fake.efetch))
    settings = make_settings(tmp_path, httpserver)            # no API key: 3 per second

    def collect(i):
        store = EvidenceStore.open(tmp_path / f"store{i}")
        return collect_source("pubmed", store, settings, ["trd"], None, session=fast_session(settings))
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(collect, range(2)))

    assert all(r.ok and r.counts.new == 1500 for r in results)
    assert len(arrivals) == 8 == sum(r.requests for r in results)
    busiest = max(bisect.bisect_left(arrivals, t + 1.0) - i for i, t in enumerate(arrivals))
    assert busiest <= 3


@pytest.mark.parametrize("retry_after, expected", [
    ("1", 1.0),
    (None, 30.0),                                   # an HTTP date 30 seconds ahead
    ("3600", 60.0),                                 # cut to RETRY_AFTER_MAX
])
def test_429_waits_as_told_then_succeeds(httpserver, tmp_path, monkeypatch, retry_after, expected):
    waits: list[float] = []
    # Record the wait urllib3 asks for instead of sleeping it.
    monkeypatch.setattr(_Retry, "sleep_for_retry",
                        lambda self, response: waits.append(self.get_retry_after(response)) or True)
    header = retry_after or formatdate(time.time() + 30, usegmt=True)
    httpserver.expect_oneshot_request("/ctgov/studies").respond_with_data(
        "slow down", status=429, headers={"Retry-After": header})
    FakeCtgov([[ctgov_study(1)]]).install(httpserver)

    stats = run_source("ctgov", EvidenceStore.open(tmp_path), make_settings(tmp_path, httpserver))

    assert stats.ok and stats.counts.new == 1
    assert stats.requests == len(httpserver.log) == 2
    assert [round(w) for w in waits] in ([expected], [expected - 1])   # a date loses up to a second


def test_500_then_success_is_retried(httpserver, tmp_path):
    httpserver.expect_oneshot_request("/ctgov/studies").respond_with_data("busy", status=500)
    FakeCtgov([[ctgov_study(1)]]).install(httpserver)

    stats = run_source("ctgov", EvidenceStore.open(tmp_path), make_settings(tmp_path, httpserver))

    assert stats.ok and stats.counts.new == 1 and stats.requests == 2


@pytest.fixture
def threaded_server():
    """A server that answers while another request hangs."""
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def _slow(seconds: float, times: int):
    calls = iter(range(10_000))
    fake = FakeCtgov([[ctgov_study(1)]])

    def handler(request):
        if next(calls) < times:
            time.sleep(seconds)
        return fake.studies(request)
    return handler


def test_a_timeout_is_retried(threaded_server, tmp_path):
    threaded_server.expect_request("/ctgov/studies").respond_with_handler(_slow(1.0, times=1))
    settings = make_settings(tmp_path, threaded_server, timeout=0.3)

    stats = run_source("ctgov", EvidenceStore.open(tmp_path), settings)

    assert stats.ok and stats.counts.new == 1 and stats.requests == 2


def test_a_service_that_keeps_timing_out_is_reported_and_earlier_work_kept(threaded_server, tmp_path):
    threaded_server.expect_request("/ctgov/studies").respond_with_handler(_slow(0.6, times=100))
    settings = make_settings(tmp_path, threaded_server, timeout=0.3)

    stats = run_source("ctgov", EvidenceStore.open(tmp_path), settings,
                       session=fast_session(settings, retries=1))

    assert not stats.ok and stats.requests == 2
    [failure] = stats.failures
    assert failure.reason.startswith(f"could not reach ClinicalTrials.gov at {settings.ctgov_url}/studies")
    assert "Read timed out" in failure.reason


def test_an_id_batch_that_keeps_timing_out_is_reported_and_the_next_fetched(threaded_server, tmp_path):
    fake = FakeEutils({})
    slow, fine = "39000001", "39000002"
    asked = []

    def efetch(request):
        asked.append(request.form.get("id"))
        if asked[-1] == slow:
            time.sleep(0.6)
        return fake.efetch(request)
    threaded_server.expect_request("/eutils/efetch.fcgi").respond_with_handler(efetch)
    fake.install(threaded_server)
    settings = make_settings(tmp_path, threaded_server, timeout=0.3, pubmed_batch=1, ncbi_api_key="k")
    store = EvidenceStore.open(tmp_path)

    stats = run_source("pubmed", store, settings, pmids=[slow, fine],
                       session=fast_session(settings, retries=1))

    [failure] = stats.failures
    assert failure.item == f"efetch ids {slow}..{slow}" and "Read timed out" in failure.reason
    assert [d["source_id"] for d in store.latest_documents()] == [f"pmid:{fine}"]
    assert asked == [slow, slow, fine]                  # the timeout was retried once


@pytest.mark.parametrize("address, public", [
    ("93.184.215.14", True), ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("192.168.0.10", False), ("169.254.169.254", False),
    ("::1", False), ("fe80::1%eth0", False), ("::ffff:127.0.0.1", False), ("224.0.0.1", False),
])
def test_public_addresses(address, public):
    assert is_public_address(address) is public


def test_a_public_only_session_refuses_a_loopback_peer(httpserver, tmp_path):
    httpserver.expect_request("/").respond_with_data("private")
    settings = make_settings(tmp_path, httpserver)
    with make_session(settings, public_only=True) as session, pytest.raises(NonPublicAddress):
        session.get(httpserver.url_for("/"), timeout=5)
    with make_session(settings) as session:          # other sources may use private endpoints
        assert session.get(httpserver.url_for("/"), timeout=5).text == "private"
    assert len(httpserver.log) == 1
