"""The pipeline's stages as plain functions: callable without Prefect.

Each function handles a batch (a chunk of files, a batch of documents) and
talks to the store; `flows/pipeline.py` only orchestrates them.
"""
from __future__ import annotations

import threading
from concurrent.futures import ProcessPoolExecutor
from functools import lru_cache
from itertools import chain
from multiprocessing import get_context
from pathlib import Path
from typing import Iterable

from data.records import Document, Extraction
from data.store import EvidenceStore, Failure
from extractors.record import extract_document
from extractors.verdicts import judge_claims, ketamine_studies, page_contexts, study_label
from flows.settings import Settings
from flows.sources import SourceStats
from flows.sources.live import collect_source
from flows.sources.files import ImportFailure, import_paths, list_input_files

INGEST_BATCH = 500   # documents per store transaction
POOL_THRESHOLD = 200  # smaller batches are extracted in-process: spawning workers costs seconds


@lru_cache(maxsize=8)
def open_store(workdir: str, url: str | None = None) -> EvidenceStore:
    """One store (engine and pool) per process and workdir, shared by tasks."""
    return EvidenceStore.open(Path(workdir), url)


def plan_file_batches(paths: Iterable[str], files_per_batch: int = 100) -> list[list[str]]:
    """Split the --from inputs into chunks of files, one import task each."""
    files = [str(p) for p in list_input_files([Path(p) for p in paths])]
    return [files[i:i + files_per_batch] for i in range(0, len(files), files_per_batch)]


def import_file_batch(store: EvidenceStore, files: list[str], run_id: int | None) -> SourceStats:
    """Parse and store a chunk of local files; a bad file is reported, not fatal."""
    stats = SourceStats("files")
    pending = []
    for item in import_paths([Path(f) for f in files]):
        if isinstance(item, ImportFailure):
            stats.fail(item.path, item.reason)
            continue
        pending.append(item)
        if len(pending) >= INGEST_BATCH:
            stats.counts.add(store.ingest(pending, run_id))
            pending = []
    stats.counts.add(store.ingest(pending, run_id))
    store.record_failures(run_id, stats.failures)
    return stats


def collect_live_source(store: EvidenceStore, settings: Settings, name: str, run_id: int | None,
                        urls: list[str], pmids: list[str], full_text: bool) -> SourceStats:
    """One live source; its failures are recorded with the run, never raised."""
    stats = collect_source(name, store, settings, settings.conditions, run_id,
                           urls=urls, pmids=pmids, full_text=full_text)
    store.record_failures(run_id, stats.failures)
    return stats


def extract_pending_batch(store: EvidenceStore, batch_size: int, after_pk: int,
                          run_id: int | None, processes: int = 1) -> tuple[int, int, list[Failure]]:
    """Extract the next batch of not-yet-extracted documents.

    Returns (documents extracted, last pk seen, failures); last pk 0 means
    nothing was left. A document whose extraction raises is reported and
    skipped so one bad record cannot stall the run. With `processes` > 1 the
    extraction (CPU-bound Python) runs in a pool of worker processes.
    """
    batch = store.pending_extraction(batch_size, after_pk=after_pk)
    if not batch:
        return 0, 0, []
    docs = [doc for _, doc in batch]
    if processes > 1 and len(docs) >= POOL_THRESHOLD:
        outcomes = list(_pool(processes).map(extract_or_error, docs, chunksize=32))
    else:
        outcomes = [extract_or_error(doc) for doc in docs]
    results, fails = [], []
    for (pk, doc), outcome in zip(batch, outcomes):
        if isinstance(outcome, str):
            fails.append(Failure("extract", doc.id, outcome))
        else:
            results.append((pk, outcome))
    store.save_extractions(results)
    store.record_failures(run_id, fails)
    return len(results), batch[-1][0], fails


def extract_or_error(doc: Document) -> Extraction | str:
    """The extraction, or the error as text (it must cross a process boundary)."""
    try:
        return extract_document(doc)
    except Exception as exc:  # noqa: BLE001 - reported with the document id
        return f"{type(exc).__name__}: {exc}"


_pools: dict[int, ProcessPoolExecutor] = {}
_pools_lock = threading.Lock()     # two extraction threads asking at once would each spawn a pool


def _pool(processes: int) -> ProcessPoolExecutor:
    """One pool per process, shared by the extraction tasks' threads. Spawned, not
    forked: forking a process that runs Prefect's threads can deadlock."""
    with _pools_lock:
        if processes not in _pools:
            _pools[processes] = ProcessPoolExecutor(max_workers=processes, mp_context=get_context("spawn"))
        return _pools[processes]


def warm_pool(processes: int) -> None:
    """Start the extraction workers now, for a run that would otherwise wait for
    them (each takes a second or two to load the extractors) at its first batch."""
    pool = _pool(processes)
    for _ in range(processes):
        pool.submit(_loaded)


def _loaded() -> None:
    """Nothing: running it in a worker loads this module, and so the extractors."""


def release_pool() -> None:
    """Let the extraction workers go once a run has extracted everything: they exit
    while the run judges and reports, and a serving process does not keep them
    between runs."""
    with _pools_lock:
        for pool in _pools.values():
            pool.shutdown(wait=False)
        _pools.clear()


def judge_all_claims(store: EvidenceStore, run_id: int | None) -> int:
    """Give every current web claim a verdict against the studies in the store
    and the curated facts; a claim naming no condition is judged for its page's.

    Documents are read a page at a time: what stays in memory is the ketamine
    evidence, never every document's rows."""
    pages = store.latest_document_pages(web=True, record=False)
    first = next(pages, None)
    if first is None:
        return 0            # no web pages, no claims: the studies need not be read
    evidence = [row for page in store.latest_document_pages(web=False)
                for row in _evidence_rows(store, page)]
    judged = 0
    for page in chain([first], pages):
        verdicts = judge_claims(_claims_in_context(store, page), evidence)
        judged += store.save_verdicts(verdicts, run_id)
    return judged


def _claims_in_context(store: EvidenceStore, page: list[dict]) -> list[dict]:
    """The claims of some web pages, each with its page's conditions (for claims naming none)."""
    pks = [d["pk"] for d in page]
    context = page_contexts(page, store.rows_by_document("sentences", pks))
    return [{**c, "context": dict(zip(("conditions", "source"), context[c["document_pk"]]))}
            for c in store.rows_for("claims", pks)]


def _evidence_rows(store: EvidenceStore, docs: list[dict]) -> list[dict]:
    """Ketamine studies with their document's ids, conditions, outcomes and a
    short label (first author and year) for linking."""
    science = {d["pk"]: d for d in docs}
    pks = list(science)
    out = []
    for doc, study, found in ketamine_studies(science, store.rows_for("studies", pks),
                                              store.rows_by_document("outcomes", pks)):
        year = (doc["published"] or "")[:4] or None
        out.append({**study, "source_id": doc["source_id"], "pmid": doc["pmid"],
                    "nct_id": doc["nct_id"], "doi": doc["doi"], "title": doc["title"],
                    "year": year, "label": study_label(doc["record"].get("authors"), year,
                                                       doc["source_id"]),
                    "conditions": doc["conditions"] or [], "outcomes": found})
    return out
