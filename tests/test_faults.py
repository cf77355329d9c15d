"""Fault injection (issue 7): service faults and hostile input not covered by
the per-client tests. Every case ends in a completed collection or import
that says what failed and keeps what it already had."""
from __future__ import annotations

import json
import socket
import struct
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from werkzeug import Request, Response

from data.store import EvidenceStore
from flows.sources.files import import_paths, ImportFailure

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "live"))
from live_fixtures import (FakeEutils, ctgov_study, europepmc_page, europepmc_result,  # noqa: E402
                           make_settings, pmids, run_source, serve_clinic_page, web_test_env)


def stored(store: EvidenceStore, prefix: str) -> int:
    return sum(1 for d in store.latest_documents() if d["source_id"].startswith(prefix))


def test_an_empty_europepmc_page_in_the_middle_does_not_end_paging(httpserver, tmp_path):
    first = [europepmc_result(i, pmid=str(38_000_000 + i)) for i in range(10)]
    last = [europepmc_result(i, pmid=str(38_000_000 + i)) for i in range(10, 20)]
    pages = {"*": (first, "c1"), "c1": ([], "c2"), "c2": (last, "c2")}

    def search(request: Request) -> Response:
        cursor = request.args["cursorMark"]
        results, nxt = pages[cursor]
        payload = europepmc_page(results, cursor, nxt)
        payload["hitCount"] = 20                      # the real service gives the total hits
        return Response(json.dumps(payload), content_type="application/json")

    httpserver.expect_request("/europepmc/search").respond_with_handler(search)
    store = EvidenceStore.open(tmp_path)
    stats = run_source("europepmc", store, make_settings(tmp_path, httpserver))
    assert stats.ok and stats.requests == 3 and stored(store, "pmid:") == 20


def test_an_empty_ctgov_page_in_the_middle_does_not_end_paging(httpserver, tmp_path):
    pages = {"": ([ctgov_study(i) for i in range(5)], "t1"), "t1": ([], "t2"),
             "t2": ([ctgov_study(i) for i in range(5, 10)], None)}

    def studies(request: Request) -> Response:
        items, token = pages[request.args.get("pageToken", "")]
        payload = {"studies": items, **({"nextPageToken": token} if token else {})}
        return Response(json.dumps(payload), content_type="application/json")

    httpserver.expect_request("/ctgov/studies").respond_with_handler(studies)
    store = EvidenceStore.open(tmp_path)
    stats = run_source("ctgov", store, make_settings(tmp_path, httpserver))
    assert stats.ok and stored(store, "nct:") == 10


def test_a_burst_of_502_and_503_is_retried_through(httpserver, tmp_path):
    for status in (503, 502, 503):
        httpserver.expect_oneshot_request("/eutils/esearch.fcgi").respond_with_data("busy", status=status)
    FakeEutils({p: date(2024, 3, 12) for p in pmids(40)}).install(httpserver)
    store = EvidenceStore.open(tmp_path)
    stats = run_source("pubmed", store, make_settings(tmp_path, httpserver))
    assert stats.ok and stored(store, "pmid:") == 40
    assert stats.requests == 3 + 2          # three refused esearches, then esearch and efetch


@pytest.fixture
def resetting_server():
    """A TCP server that resets every connection as soon as it is accepted."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    stop = threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()                                  # linger 0: RST, not FIN

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    stop.set()
    thread.join()
    listener.close()


def test_connection_resets_fail_the_source_clearly_and_keep_what_is_stored(
        resetting_server, httpserver, tmp_path):
    store = EvidenceStore.open(tmp_path)
    FakeEutils({p: date(2024, 3, 12) for p in pmids(5)}).install(httpserver)
    assert run_source("pubmed", store, make_settings(tmp_path, httpserver)).ok
    settings = make_settings(tmp_path, httpserver, eutils_url=f"{resetting_server}/eutils")

    stats = run_source("pubmed", store, settings)
    assert not stats.ok and stats.requests > 1                       # retried, then gave up
    assert "could not reach PubMed" in stats.failures[0].reason
    assert stored(store, "pmid:") == 5


def test_a_50_mb_page_is_refused_without_reading_it_all(httpserver, tmp_path, monkeypatch):
    web_test_env(monkeypatch, tmp_path)
    sent = []

    def huge(_request: Request) -> Response:
        def body():
            for _ in range(50):                     # 50 chunks of 1 MiB
                sent.append(1)
                yield b"<p>" + b"x" * (2**20 - 3)
        return Response(body(), content_type="text/html")

    good = serve_clinic_page(httpserver)
    httpserver.expect_request("/huge").respond_with_handler(huge)
    store = EvidenceStore.open(tmp_path)
    stats = run_source("web", store, make_settings(tmp_path, httpserver),
                       urls=[httpserver.url_for("/huge"), good])
    assert stats.ok and stats.counts.new == 1                       # the good page is stored
    (failure,) = stats.failures
    assert failure.item.endswith("/huge") and "refused" in failure.reason
    assert len(sent) < 50


def test_mixed_and_invalid_encodings_are_imported_not_fatal(tmp_path):
    (tmp_path / "mixed.txt").write_bytes(
        "Ketamine clinic — caf\u00e9 opening.\n".encode() + b"Price: 400\x80 per infusion \xff\xfe.\n")
    (tmp_path / "latin1.html").write_bytes(
        b'<html><head><meta charset="iso-8859-1"><title>Cl\xednica</title></head>'
        b"<body><main><article><p>La ketamina se administra en la cl\xednica bajo "
        b"supervisi\xf3n m\xe9dica durante cuarenta minutos.</p></article></main></body></html>")
    items = list(import_paths([tmp_path]))
    assert not [i for i in items if isinstance(i, ImportFailure)]
    texts = {Path(d.source).name: d.text for d in items}
    assert "café opening" in texts["mixed.txt"] and "Price: 400" in texts["mixed.txt"]
    assert "clínica bajo supervisión médica" in texts["latin1.html"]
