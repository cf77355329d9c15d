"""The stages as plain functions: extraction in worker processes is the same as in-process."""
from __future__ import annotations

from data.records import Document
from data.store import EvidenceStore
from flows.stages import POOL_THRESHOLD, extract_pending_batch

PAGE = ("Ketamine infusions relieve treatment-resistant depression within hours. "
        "Over {n}% of our patients respond. Side effects include dissociation and nausea. "
        "Book your free consultation today!")


def pages(n: int) -> list[Document]:
    return [Document(id=f"file:pages/{i}.txt", kind="web", title=f"Clinic {i}",
                     text=PAGE.format(n=50 + i % 40), source=f"pages/{i}.txt", origin="files",
                     raw_format="text") for i in range(n)]


def extracted_rows(store: EvidenceStore) -> list[tuple]:
    pks = [d["pk"] for d in store.latest_documents()]
    rows = []
    for table in ("sentences", "claims", "outcomes"):
        rows += [(table, r.get("document_pk"), r.get("i", r.get("sentence_i")), r.get("text"),
                  str(r.get("labels", r.get("type"))), r.get("quantity_value"))
                 for r in store.rows_for(table, pks)]
    return sorted(rows, key=repr)


def test_worker_processes_extract_exactly_what_one_process_does(tmp_path):
    docs = pages(POOL_THRESHOLD + 20)
    one, two = EvidenceStore.open(tmp_path / "one"), EvidenceStore.open(tmp_path / "two")
    for store in (one, two):
        store.ingest(docs)
    done_one, _, fails_one = extract_pending_batch(one, 1000, 0, None, processes=1)
    done_two, _, fails_two = extract_pending_batch(two, 1000, 0, None, processes=2)
    assert done_one == done_two == len(docs) and not fails_one and not fails_two
    rows = extracted_rows(one)
    assert rows and rows == extracted_rows(two)
    assert one.pending_extraction_pks() == two.pending_extraction_pks() == []
