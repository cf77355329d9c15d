"""Watched web pages against pages served on 127.0.0.1: robots.txt, validators,
caps, redirects, address checks and the WARC archive."""
from __future__ import annotations

import gzip
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from werkzeug import Response

from data.store import EvidenceStore
from data.topics import watchlist_urls
from flows.sources import web

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "live"))
from live_fixtures import (ALLOW_ALL, CLINIC_PAGE, latest, make_settings, run_source,  # noqa: E402
                           serve_clinic_page, web_test_env)


@pytest.fixture
def site(httpserver, tmp_path, monkeypatch):
    web_test_env(monkeypatch, tmp_path)
    return httpserver


def _run(server, tmp_path, urls, **kwargs):
    store = EvidenceStore.open(tmp_path)
    return store, run_source("web", store, make_settings(tmp_path, server), urls=urls, **kwargs)


def test_page_is_stored_with_its_date_links_and_warc_record(site, tmp_path):
    url = serve_clinic_page(site)

    store, stats = _run(site, tmp_path, [url])

    assert stats.ok and not stats.failures and stats.counts.new == 1
    doc = latest(store)[f"url:{url}"]["record"]
    assert "over 80% of our patients" in doc["text"].lower()
    assert doc["published"] == "2024-03-05"
    assert "https://pubmed.ncbi.nlm.nih.gov/23982301/" in doc["links"]
    agent = site.log[0][0].headers["User-Agent"]
    assert agent.startswith("ketamine-evidence/") and "mailto:evidence@example.org" in agent
    state = store.get_state("web", url)
    assert (state["etag"], state["last_modified"]) == ('"v1"', "Tue, 05 Mar 2024 10:00:00 GMT")
    assert _archived(tmp_path, state) == (url, CLINIC_PAGE)


def _archived(workdir: Path, state: dict) -> tuple[str, bytes]:
    """(target URI, payload) of the WARC record a page's state points to."""
    with open(workdir / state["warc"]["file"], "rb") as fh:
        fh.seek(state["warc"]["offset"])
        record = next(iter(ArchiveIterator(fh)))
        assert record.rec_headers.get_header("WARC-Record-ID") == state["warc"]["record_id"]
        return record.rec_headers.get_header("WARC-Target-URI"), record.content_stream().read()


def test_unchanged_page_costs_no_body_on_the_second_run(site, tmp_path):
    url = serve_clinic_page(site)
    store, _ = _run(site, tmp_path, [url])
    site.clear_log()

    _, second = _run(site, tmp_path, [url])

    assert second.ok and (second.counts.new, second.counts.unchanged) == (0, 1)
    [(request, response)] = site.log                     # robots.txt came from the store
    assert request.headers["If-None-Match"] == '"v1"'
    assert request.headers["If-Modified-Since"] == "Tue, 05 Mar 2024 10:00:00 GMT"
    assert response.status_code == 304 and second.requests == 1
    assert latest(store)[f"url:{url}"]["version"] == 1


@pytest.mark.parametrize("status, body, fetched, reason", [
    (200, "User-agent: *\nDisallow: /clinic\n", False, "disallowed by robots.txt"),
    (200, "User-agent: ketamine-evidence\nDisallow: /\n\nUser-agent: *\nAllow: /\n", False,
     "disallowed by robots.txt"),
    (404, "not found", True, None),
    (500, "oops", False, "is unreachable or failing"),
])
def test_robots_txt_decides(site, tmp_path, status, body, fetched, reason):
    site.expect_request("/robots.txt").respond_with_data(body, status=status)
    url = serve_clinic_page(site)

    store, stats = _run(site, tmp_path, [url])

    assert any(r.path == "/clinic" for r, _ in site.log) == fetched
    assert [reason in f.reason for f in stats.failures] == ([] if fetched else [True])
    cached = store.get_state("robots", site.url_for("/").rstrip("/"))
    assert (cached is None) == (status == 500)            # a failing robots.txt is asked again


def _oversized(request):
    # Streamed without Content-Length, so only counting while reading can stop it.
    return Response((b"<p>ketamine</p>" * 1000 for _ in range(20)), content_type="text/html")


def _gzip_bomb(request):
    bomb = gzip.compress(b" " * 1_000_000)
    return Response(bomb, content_type="text/html", headers={"Content-Encoding": "gzip"})


@pytest.mark.parametrize("handler", [_oversized, _gzip_bomb])
def test_oversized_page_is_refused(site, tmp_path, monkeypatch, handler):
    monkeypatch.setattr(web, "MAX_PAGE", 100_000)
    site.expect_request("/robots.txt").respond_with_data(ALLOW_ALL)
    site.expect_request("/big").respond_with_handler(handler)

    store, stats = _run(site, tmp_path, [site.url_for("/big")])

    [failure] = stats.failures
    assert "body is over the 100000-byte cap" in failure.reason and not stats.ok
    assert not latest(store) and not (tmp_path / "archive").exists()


def test_redirect_loop_and_too_many_redirects_are_reported(site, tmp_path):
    site.expect_request("/robots.txt").respond_with_data(ALLOW_ALL)
    for a, b in (("/a", "/b"), ("/b", "/a")):
        site.expect_request(a).respond_with_response(Response(status=302, headers={"Location": b}))
    for i in range(7):
        site.expect_request(f"/r{i}").respond_with_response(
            Response(status=301, headers={"Location": f"/r{i + 1}"}))

    _, stats = _run(site, tmp_path, [site.url_for("/a"), site.url_for("/r0")])

    loop, chain = stats.failures
    assert loop.reason.startswith("redirect loop:") and loop.reason.endswith("/a")
    assert chain.reason.startswith("more than 5 redirects")
    assert not any(r.path == "/r6" for r, _ in site.log)


def test_private_addresses_and_other_schemes_are_refused(site, tmp_path, monkeypatch):
    monkeypatch.delenv("KETEV_ALLOW_PRIVATE_URLS")
    url = serve_clinic_page(site)

    _, stats = _run(site, tmp_path, [url, "ftp://example.org/ketamine.html"])

    private, ftp = stats.failures
    assert "resolves to non-public address" in private.reason
    assert ftp.reason == "not an http(s) URL: ftp://example.org/ketamine.html"
    assert not site.log and not stats.ok


def test_watchlist_pages_are_collected_with_the_given_urls(site, tmp_path, monkeypatch):
    watched = serve_clinic_page(site)
    extra = site.url_for("/other")
    site.expect_request("/other").respond_with_data(CLINIC_PAGE.replace(b"Bright Mind", b"Calm Mind"),
                                                    content_type="text/html")
    watchlist = tmp_path / "watch.toml"
    watchlist.write_text(f'[[page]]\nurl = "{watched}"\nabout = "test clinic"\n')
    monkeypatch.setenv("KETEV_WATCHLIST", str(watchlist))

    store, stats = _run(site, tmp_path, [extra])

    assert stats.counts.new == 2 and {f"url:{watched}", f"url:{extra}"} == set(latest(store))
    first, second = (store.get_state("web", u) for u in (watched, extra))
    assert 0 == first["warc"]["offset"] < second["warc"]["offset"]       # one archive, appended
    assert _archived(tmp_path, second)[1].count(b"Calm Mind") == 1


def test_project_watchlist_lists_public_https_pages():
    urls = watchlist_urls()
    assert urls and all(u.startswith("https://") for u in urls)


def test_a_host_that_rebinds_to_a_private_address_is_refused_on_connect(site, tmp_path, monkeypatch):
    """DNS rebinding: the check before the request sees a public address, the
    connection then reaches 127.0.0.1. The address the socket reached decides."""
    monkeypatch.delenv("KETEV_ALLOW_PRIVATE_URLS")
    monkeypatch.setattr(web, "resolve", lambda host: ["93.184.215.14"])
    url = serve_clinic_page(site)

    store, stats = _run(site, tmp_path, [url])

    [failure] = stats.failures
    assert "connected to non-public address 127.0.0.1" in failure.reason
    assert not site.log                      # not even robots.txt was asked for
    assert latest(store) == {}
