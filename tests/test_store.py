"""The evidence store: idempotent ingest, versions, resumable extraction, runs,
migrations and the writer lock; every test runs on SQLite and on PostgreSQL
(the latter when KETEV_TEST_POSTGRES_URL is set, see conftest.py)."""
from __future__ import annotations

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, select, text

from data.records import Claim, Document, Extraction, Outcome, Quantity, Sentence, Study
from data.schema_sql import documents, metadata
from data.store import MIGRATIONS, EvidenceStore, Failure, StoreBusy, _switch_to_wal


def make_doc(doc_id="file:pages/a.txt", text="Ketamine works fast.", **kw) -> Document:
    return Document(id=doc_id, kind=kw.pop("kind", "web"), title=kw.pop("title", "A page"),
                    text=text, source=kw.pop("source", "pages/a.txt"), origin="files",
                    raw_format="text", raw=text.encode(), **kw)


def make_extraction(doc: Document) -> Extraction:
    return Extraction(
        id=doc.id, kind=doc.kind, title=doc.title, source=doc.source, conditions=["trd"],
        sentences=[Sentence(0, doc.text, ["claim", "promotional"], ["fast"])],
        claims=[Claim(0, doc.text, "onset", ["trd"], Quantity(24, "hours", "<"), "none", [])],
        study=Study("rct", n_randomized=73, measures=["MADRS"], significant_primary=True),
        outcomes=[Outcome(0, "response_rate", "MADRS", "ketamine", 64.0, "%", (50.0, 70.0), "<0.05")],
        scores={"promotional": 1.0})


@pytest.fixture
def store(tmp_path, store_url) -> EvidenceStore:
    store = EvidenceStore.open(tmp_path, store_url)
    yield store
    store.engine.dispose()      # PostgreSQL: no idle session left on the dropped schema


def test_ingesting_the_same_document_twice_changes_nothing(store):
    assert store.ingest([make_doc()]).new == 1
    again = store.ingest([make_doc()])
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)
    assert store.counts()["documents"] == 1


def test_a_changed_document_gets_a_new_version_and_the_old_one_is_kept(store):
    store.ingest([make_doc(text="Version one.")])
    counts = store.ingest([make_doc(text="Version two.")])
    assert counts.updated == 1
    with store.engine.connect() as conn:
        rows = conn.execute(select(documents.c.version, documents.c.title, documents.c.record)
                            .order_by(documents.c.version)).all()
    assert [r.version for r in rows] == [1, 2]
    assert [r.record["text"] for r in rows] == ["Version one.", "Version two."]
    latest = list(store.latest_documents())
    assert len(latest) == 1 and latest[0]["record"]["text"] == "Version two."


def test_latest_documents_come_a_page_at_a_time_by_kind(store):
    store.ingest([make_doc(f"file:pages/{i}.txt", text=f"Page {i}.") for i in range(5)]
                 + [make_doc(f"pmid:{i}", kind="abstract", text=f"Abstract {i}.") for i in range(3)])
    store.ingest([make_doc("file:pages/1.txt", text="Page 1, changed.")])
    pages = list(store.latest_document_pages(web=True, record=False, size=2))
    assert [len(p) for p in pages] == [2, 2, 1] and all("record" not in d for p in pages for d in p)
    assert [d["source_id"] for p in pages for d in p] == [f"file:pages/{i}.txt" for i in range(5)]
    assert [d["version"] for p in pages for d in p] == [1, 2, 1, 1, 1]    # latest versions only
    science = [d for p in store.latest_document_pages(web=False, size=2) for d in p]
    assert [d["record"]["text"] for d in science] == ["Abstract 0.", "Abstract 1.", "Abstract 2."]
    assert [d["source_id"] for d in store.latest_documents()] == sorted(
        [f"file:pages/{i}.txt" for i in range(5)] + [f"pmid:{i}" for i in range(3)])


def test_sentence_counts_per_document(store):
    store.ingest([make_doc("file:p/a.txt"), make_doc("file:p/b.txt", text="Other.")])
    (a, doc), (b, _) = store.pending_extraction(10)
    store.save_extractions([(a, make_extraction(doc))])
    assert store.sentence_counts([a, b]) == {a: 1}


def test_a_batch_holding_one_id_twice_stores_one_document(store):
    counts = store.ingest([make_doc(text="first"), make_doc(text="second")])
    assert counts.new == 1 and store.counts()["documents"] == 1


def test_raw_payload_is_archived_and_its_location_recorded(store):
    store.ingest([make_doc("file:p/a.txt", text="Raw body."), make_doc("file:p/b.txt", text="Other.")])
    first, second = store.latest_documents()
    assert first["raw_location"].startswith("raw/") and ".zip#" in first["raw_location"]
    assert store.read_raw(first["raw_location"]) == b"Raw body."
    assert store.read_raw(second["raw_location"]) == b"Other."
    # One pack per batch: the two payloads share a file.
    assert first["raw_location"].split("#")[0] == second["raw_location"].split("#")[0]


def test_extraction_is_resumable_and_replaces_rows(store):
    store.ingest([make_doc("file:p/a.txt"), make_doc("file:p/b.txt", text="Other.")])
    pending = store.pending_extraction(10)
    assert len(pending) == 2
    first_pk, first_doc = pending[0]
    store.save_extractions([(first_pk, make_extraction(first_doc))])
    assert [pk for pk, _ in store.pending_extraction(10)] == [pending[1][0]]
    # Saving again replaces rather than duplicates.
    store.save_extractions([(first_pk, make_extraction(first_doc))])
    counts = store.counts()
    assert (counts["sentences"], counts["claims"], counts["studies"], counts["outcomes"]) == (1, 1, 1, 1)
    assert counts["web_claims"] == 1
    (claim,) = store.rows_for("claims", [first_pk])
    assert (claim["quantity_value"], claim["quantity_unit"], claim["quantity_op"]) == (24, "hours", "<")
    (outcome,) = store.rows_for("outcomes", [first_pk])
    assert (outcome["ci_low"], outcome["ci_high"], outcome["p"]) == (50.0, 70.0, "<0.05")


def test_rows_by_document_groups_each_version_s_rows_in_order(store):
    store.ingest([make_doc("file:p/a.txt", text="One. Two."), make_doc("file:p/b.txt", text="Three.")])
    (a, doc_a), (b, doc_b) = store.pending_extraction(10)
    two = replace(make_extraction(doc_a), sentences=[Sentence(0, "One.", [], []), Sentence(1, "Two.", [], [])])
    store.save_extractions([(a, two), (b, make_extraction(doc_b))])
    grouped = store.rows_by_document("sentences", [a, b])
    assert {pk: [r["text"] for r in rows] for pk, rows in grouped.items()} == {a: ["One.", "Two."], b: ["Three."]}
    assert store.rows_by_document("sentences", [b]).keys() == {b}


def test_counts_tell_web_claims_from_study_findings(store):
    store.ingest([make_doc("file:p/page.txt"), make_doc("pmid:1", kind="abstract", text="Pain fell.")])
    store.save_extractions([(pk, make_extraction(doc)) for pk, doc in store.pending_extraction(10)])
    counts = store.counts()
    assert (counts["claims"], counts["web_claims"]) == (2, 1)


def test_a_new_version_needs_extraction_again(store):
    store.ingest([make_doc(text="One.")])
    (pk, doc), = store.pending_extraction(10)
    store.save_extractions([(pk, make_extraction(doc))])
    assert store.pending_extraction(10) == []
    store.ingest([make_doc(text="Two.")])
    (new_pk, new_doc), = store.pending_extraction(10)
    assert new_pk != pk and new_doc.text == "Two."


def test_verdicts_are_one_per_claim(store):
    store.ingest([make_doc()])
    (pk, doc), = store.pending_extraction(10)
    store.save_extractions([(pk, make_extraction(doc))])
    (claim,) = store.rows_for("claims", [pk])
    row = {"claim_pk": claim["pk"], "verdict": "overstated", "reason": "r", "references": ["pmid:1"],
           "basis": "collected"}
    store.save_verdicts([row], None)
    store.save_verdicts([dict(row, verdict="supported")], None)
    assert store.verdicts_for([claim["pk"]])[claim["pk"]]["verdict"] == "supported"
    assert store.counts()["verdicts"] == 1


def test_runs_record_stats_failures_and_last_success(store):
    first = store.start_run({"paths": ["x"]})
    store.record_failures(first, [Failure("files", "bad.xml", "truncated XML")])
    store.update_run(first, status="completed", source_stats={"pubmed": {"ok": False}})
    assert store.last_successful_collection("pubmed") is None
    second = store.start_run({})
    store.update_run(second, status="completed", source_stats={"pubmed": {"ok": True}},
                     report_path="/r")
    run = store.get_run(first)
    assert run.failures == [Failure("files", "bad.xml", "truncated XML")]
    assert run.finished_at is not None and run.parameters == {"paths": ["x"]}
    assert store.last_successful_collection("pubmed") == store.get_run(second).started_at.replace(
        tzinfo=store.last_successful_collection("pubmed").tzinfo)
    assert [r.id for r in store.list_runs()] == [first, second]


def test_collection_state_round_trips(store):
    assert store.get_state("web", "https://example.org/") is None
    store.set_state("web", "https://example.org/", {"etag": "a"})
    store.set_state("web", "https://example.org/", {"etag": "b"})
    assert store.get_state("web", "https://example.org/") == {"etag": "b"}


def test_long_identifiers_and_units_are_stored_alike_on_every_database(store):
    long_id = "web:https://clinic.example/" + "ketamine-therapy/" * 60      # > 1000 characters
    store.ingest([make_doc(long_id, pmid="9" * 40, doi="10.1000/" + "x" * 400)])
    (pk, doc), = store.pending_extraction(10)
    ex = make_extraction(doc)
    ex.outcomes[0].unit = "points on the Montgomery-Asberg Depression Rating Scale"
    store.save_extractions([(pk, ex)])
    store.set_state("web", long_id, {"etag": "a"})
    assert [d["source_id"] for d in store.latest_documents()] == [long_id]
    assert store.rows_for("outcomes", [pk])[0]["unit"] == ex.outcomes[0].unit
    assert store.get_state("web", long_id) == {"etag": "a"}


def test_run_records_keep_durations_and_the_prefect_flow_run(store):
    run_id = store.start_run({"conditions": ["trd"]}, flow_run_id="0b7e5f1e-0000-4000-8000-000000000000")
    store.update_run(run_id, status="completed", durations={"extract": 1.5, "total": 2.0})
    run = store.get_run(run_id)
    assert run.durations == {"extract": 1.5, "total": 2.0}
    assert run.flow_run_id == "0b7e5f1e-0000-4000-8000-000000000000"


# -- migrations --------------------------------------------------------------

def _alembic(conn) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    return config


def _make_0_1_0_store(store: EvidenceStore) -> None:
    """What 0.1.0 left behind: its tables, no Alembic version table."""
    with store.engine.begin() as conn:
        command.downgrade(_alembic(conn), "0001")
        conn.execute(text("DROP TABLE alembic_version"))


def _columns(engine) -> dict[str, set[str]]:
    inspector = inspect(engine)
    return {t: {c["name"] for c in inspector.get_columns(t)} for t in metadata.tables}


def test_a_store_from_0_1_0_is_upgraded_and_keeps_its_records(store, tmp_path, store_url):
    fresh = _columns(store.engine)
    store.ingest([make_doc()])
    first = store.start_run({"paths": ["x"]})
    _make_0_1_0_store(store)
    assert "durations" not in _columns(store.engine)["runs"]

    upgraded = EvidenceStore.open(tmp_path, store_url)
    try:
        assert _columns(upgraded.engine) == fresh
        assert [d["source_id"] for d in upgraded.latest_documents()] == ["file:pages/a.txt"]
        run = upgraded.get_run(first)
        assert run.parameters == {"paths": ["x"]} and run.durations is None
        with upgraded.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0002"
    finally:
        upgraded.engine.dispose()


def test_a_store_whose_creation_was_cut_short_before_its_stamp_is_finished(store, tmp_path, store_url):
    """A run killed while creating the store can leave the newest tables
    (SQLite commits each CREATE TABLE on its own) with no version stamp."""
    fresh = _columns(store.engine)
    store.ingest([make_doc()])
    with store.engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(text("DROP TABLE verdicts"))          # cut short before the last tables
    reopened = EvidenceStore.open(tmp_path, store_url)
    try:
        assert _columns(reopened.engine) == fresh
        assert [d["source_id"] for d in reopened.latest_documents()] == ["file:pages/a.txt"]
        with reopened.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0002"
    finally:
        reopened.engine.dispose()


def test_postgresql_columns_match_the_tables_after_an_upgrade(store, tmp_path, store_url):
    if store.engine.dialect.name != "postgresql":
        pytest.skip("SQLite ignores declared lengths; 0002 widens columns on PostgreSQL only")
    def types(engine):
        inspector = inspect(engine)
        return {(t, c["name"]): str(c["type"]) for t in metadata.tables
                for c in inspector.get_columns(t)}
    fresh = types(store.engine)
    _make_0_1_0_store(store)
    upgraded = EvidenceStore.open(tmp_path, store_url)
    try:
        assert types(upgraded.engine) == fresh
    finally:
        upgraded.engine.dispose()


def test_new_stores_can_be_opened_from_several_threads_at_once(tmp_path, store_url):
    def open_store(i: int) -> EvidenceStore:       # two workdirs (one store on PostgreSQL), four openers
        return EvidenceStore.open(tmp_path / f"wd{i % 2}", store_url)
    with ThreadPoolExecutor(max_workers=4) as pool:
        stores = list(pool.map(open_store, range(4)))
    for store in stores:
        assert store.list_runs() == []
        store.engine.dispose()



def _new_file_locked_by_another_connection(path) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_the_switch_to_wal_waits_for_another_openers_lock(tmp_path):
    # SQLite refuses this switch at once, busy timeout or not, while another
    # connection holds a lock on the file: the case of two new openers.
    holder = _new_file_locked_by_another_connection(tmp_path / "new.sqlite")
    opener = sqlite3.connect(tmp_path / "new.sqlite", isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        opener.execute("PRAGMA journal_mode=WAL")
    threading.Timer(0.2, holder.execute, ["COMMIT"]).start()
    _switch_to_wal(opener.cursor())
    assert opener.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_switch_to_wal_gives_up_after_its_wait(tmp_path):
    holder = _new_file_locked_by_another_connection(tmp_path / "new.sqlite")
    opener = sqlite3.connect(tmp_path / "new.sqlite", isolation_level=None)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        _switch_to_wal(opener.cursor(), wait=0.1)
    holder.execute("ROLLBACK")

# -- one writer at a time ------------------------------------------------------

def test_a_second_writer_waits_then_gives_up_with_a_clear_message(store, tmp_path, store_url):
    other = EvidenceStore.open(tmp_path, store_url)
    try:
        with store.writer_lock(wait=0):
            run_id = store.start_run({})
            told = []
            started = time.monotonic()
            with pytest.raises(StoreBusy) as busy:
                with other.writer_lock(wait=1.0, on_wait=told.append):
                    pytest.fail("two writers held the store")
            assert time.monotonic() - started >= 1.0
            assert f"run {run_id}" in told[0] and f"run {run_id}" in str(busy.value)
            assert "--wait" in str(busy.value)
            store.update_run(run_id, status="completed")
        with other.writer_lock(wait=0):          # released: free at once
            pass
    finally:
        other.engine.dispose()


def test_a_waiting_writer_gets_the_store_when_the_first_finishes(store, tmp_path, store_url):
    other = EvidenceStore.open(tmp_path, store_url)
    order = []

    def first():
        with store.writer_lock(wait=0):
            order.append("first in")
            time.sleep(0.8)
            order.append("first out")

    try:
        thread = threading.Thread(target=first)
        thread.start()
        while not order:
            time.sleep(0.01)
        with other.writer_lock(wait=10):
            order.append("second in")
        thread.join()
        assert order == ["first in", "first out", "second in"]
    finally:
        other.engine.dispose()


def test_runs_left_running_by_a_dead_process_are_marked_interrupted(store):
    dead = store.start_run({})
    with store.writer_lock(wait=0) as interrupted:
        assert interrupted == [dead]
    assert store.get_run(dead).status == "interrupted"
