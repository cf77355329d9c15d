"""The evidence store: idempotent ingest, versions, resumable extraction, runs."""
from __future__ import annotations

import gzip

import pytest
from sqlalchemy import select

from data.records import Claim, Document, Extraction, Outcome, Quantity, Sentence, Study
from data.schema_sql import documents
from data.store import EvidenceStore, Failure


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
def store(tmp_path) -> EvidenceStore:
    return EvidenceStore.open(tmp_path)


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


def test_a_batch_holding_one_id_twice_stores_one_document(store):
    counts = store.ingest([make_doc(text="first"), make_doc(text="second")])
    assert counts.new == 1 and store.counts()["documents"] == 1


def test_raw_payload_is_archived_and_its_location_recorded(store, tmp_path):
    store.ingest([make_doc(text="Raw body.")])
    (doc,) = store.latest_documents()
    archived = tmp_path / doc["raw_location"]
    assert gzip.decompress(archived.read_bytes()) == b"Raw body."


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
    (claim,) = store.rows_for("claims", [first_pk])
    assert (claim["quantity_value"], claim["quantity_unit"], claim["quantity_op"]) == (24, "hours", "<")
    (outcome,) = store.rows_for("outcomes", [first_pk])
    assert (outcome["ci_low"], outcome["ci_high"], outcome["p"]) == (50.0, 70.0, "<0.05")


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
