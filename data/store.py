"""The evidence store: the one place that writes SQL.

SQLite in the workdir by default; any SQLAlchemy URL (PostgreSQL) works.
Writes are idempotent: ingesting an unchanged document is a no-op, a changed
one becomes a new version and the old version is kept.
"""
from __future__ import annotations

import gzip
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from sqlalchemy import create_engine, event, func, select, update
from sqlalchemy.engine import Engine

from data.records import Document, Extraction
from data.schema_sql import (claims, collection_state, documents, failures, metadata,
                             outcomes, runs, sentences, sources, studies, verdicts)

RAW_SUFFIX = {"pubmed_xml": "xml", "jats": "xml", "medline": "txt", "europepmc_json": "json",
              "ctgov_json": "json", "html": "html", "markdown": "md", "text": "txt"}


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class IngestCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: "IngestCounts") -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged


@dataclass
class Failure:
    source: str
    item: str
    reason: str


@dataclass
class RunRecord:
    id: int
    started_at: datetime
    finished_at: datetime | None
    status: str
    parameters: dict[str, Any]
    source_stats: dict[str, Any]
    report_path: str | None
    failures: list[Failure] = field(default_factory=list)


def default_url(workdir: Path) -> str:
    return f"sqlite:///{(Path(workdir) / 'evidence.sqlite').resolve()}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets the report read while a batch writes; busy_timeout makes a
    # second writer wait instead of failing at once.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


class EvidenceStore:
    """Documents, extractions, verdicts and runs of one workdir."""

    def __init__(self, url: str, archive_dir: Path | None = None):
        self.url = url
        self.engine: Engine = create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.archive_dir = archive_dir
        metadata.create_all(self.engine)

    @classmethod
    def open(cls, workdir: Path | str, url: str | None = None) -> "EvidenceStore":
        workdir = Path(workdir)
        workdir.mkdir(parents=True, exist_ok=True)
        return cls(url or default_url(workdir), archive_dir=workdir / "raw")

    # -- documents ---------------------------------------------------------

    def ingest(self, docs: Iterable[Document], run_id: int | None = None) -> IngestCounts:
        """Store a batch of documents in one transaction; returns what changed."""
        batch = _dedupe_batch(docs)
        counts = IngestCounts()
        if not batch:
            return counts
        now = _now()
        with self.engine.begin() as conn:
            latest = _latest_hashes(conn, list(batch))
            for doc_id, (doc, digest) in batch.items():
                known = latest.get(doc_id)
                if known and known[1] == digest:
                    counts.unchanged += 1
                    conn.execute(update(sources).where(sources.c.id == doc_id).values(last_seen=now))
                    continue
                version = known[0] + 1 if known else 1
                if known:
                    counts.updated += 1
                    conn.execute(update(sources).where(sources.c.id == doc_id)
                                 .values(latest_version=version, last_seen=now, url=doc.url))
                else:
                    counts.new += 1
                    conn.execute(sources.insert().values(
                        id=doc_id, kind=doc.kind, origin=doc.origin, url=doc.url,
                        latest_version=1, first_seen=now, last_seen=now))
                conn.execute(documents.insert().values(
                    source_id=doc_id, version=version, content_hash=digest,
                    raw_location=self._archive(doc, digest), raw_format=doc.raw_format,
                    title=doc.title, source=doc.source, published=doc.published,
                    pmid=doc.pmid, pmcid=doc.pmcid, doi=doc.doi, nct_id=doc.nct_id,
                    record=doc.to_dict(), collected_at=now, run_id=run_id))
        return counts

    def _archive(self, doc: Document, digest: str) -> str | None:
        """Keep the original payload, content-addressed, so a report can show it."""
        if self.archive_dir is None or doc.raw is None:
            return None
        rel = Path(digest[:2]) / f"{digest}.{RAW_SUFFIX.get(doc.raw_format, 'bin')}.gz"
        path = self.archive_dir / rel
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            with gzip.open(tmp, "wb") as fh:
                fh.write(doc.raw)
            tmp.replace(path)
        return str(Path("raw") / rel)

    def latest_raw_formats(self, ids: list[str]) -> dict[str, str]:
        """raw_format of the latest stored version of each known id."""
        found: dict[str, str] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(ids, 500):
                q = (select(sources.c.id, documents.c.raw_format)
                     .join(documents, (documents.c.source_id == sources.c.id)
                           & (documents.c.version == sources.c.latest_version))
                     .where(sources.c.id.in_(chunk)))
                found.update(dict(conn.execute(q).all()))
        return found

    def pending_extraction(self, limit: int, after_pk: int = 0) -> list[tuple[int, Document]]:
        """Latest versions not extracted yet: what a (resumed) run still owes."""
        q = (select(documents.c.pk, documents.c.record)
             .join(sources, (sources.c.id == documents.c.source_id)
                   & (sources.c.latest_version == documents.c.version))
             .where(documents.c.extracted_at.is_(None) & (documents.c.pk > after_pk))
             .order_by(documents.c.pk).limit(limit))
        with self.engine.connect() as conn:
            return [(pk, Document.from_dict(rec)) for pk, rec in conn.execute(q)]

    def count_pending_extraction(self) -> int:
        q = (select(func.count()).select_from(documents.join(
            sources, (sources.c.id == documents.c.source_id)
            & (sources.c.latest_version == documents.c.version)))
             .where(documents.c.extracted_at.is_(None)))
        with self.engine.connect() as conn:
            return conn.execute(q).scalar_one()

    def save_extractions(self, results: Iterable[tuple[int, Extraction]]) -> int:
        """Replace the extraction rows of each document version, atomically per batch."""
        rows = list(results)
        if not rows:
            return 0
        pks = [pk for pk, _ in rows]
        with self.engine.begin() as conn:
            conn.execute(verdicts.delete().where(verdicts.c.claim_pk.in_(
                select(claims.c.pk).where(claims.c.document_pk.in_(pks)))))
            for table in (outcomes, studies, claims, sentences):
                conn.execute(table.delete().where(table.c.document_pk.in_(pks)))
            sent, clm, std, out = [], [], [], []
            for pk, ex in rows:
                sent += [dict(document_pk=pk, i=s.i, text=s.text, labels=s.labels,
                              hype_terms=s.hype_terms) for s in ex.sentences]
                clm += [_claim_row(pk, c) for c in ex.claims]
                out += [_outcome_row(pk, o) for o in ex.outcomes]
                if ex.study is not None:
                    std.append(dict(document_pk=pk, **asdict(ex.study)))
                conn.execute(update(documents).where(documents.c.pk == pk).values(
                    extracted_at=_now(), conditions=ex.conditions, scores=ex.scores))
            for table, values in ((sentences, sent), (claims, clm), (studies, std), (outcomes, out)):
                if values:
                    conn.execute(table.insert(), values)
        return len(rows)

    # -- verdicts ----------------------------------------------------------

    def save_verdicts(self, rows: Iterable[dict[str, Any]], run_id: int | None) -> int:
        """Upsert one verdict per claim (claim_pk, verdict, reason, references, basis)."""
        rows = list(rows)
        if not rows:
            return 0
        with self.engine.begin() as conn:
            conn.execute(verdicts.delete().where(
                verdicts.c.claim_pk.in_([r["claim_pk"] for r in rows])))
            conn.execute(verdicts.insert(), [dict(r, run_id=run_id) for r in rows])
        return len(rows)

    # -- collection state ---------------------------------------------------

    def get_state(self, source: str, key: str) -> Any:
        """What a collector remembered (a watermark, an ETag); None if nothing."""
        q = select(collection_state.c.value).where(
            (collection_state.c.source == source) & (collection_state.c.key == key))
        with self.engine.connect() as conn:
            return conn.execute(q).scalar_one_or_none()

    def set_state(self, source: str, key: str, value: Any) -> None:
        with self.engine.begin() as conn:
            where = (collection_state.c.source == source) & (collection_state.c.key == key)
            done = conn.execute(update(collection_state).where(where).values(
                value=value, updated_at=_now())).rowcount
            if not done:
                conn.execute(collection_state.insert().values(
                    source=source, key=key, value=value, updated_at=_now()))

    def last_successful_collection(self, source: str) -> datetime | None:
        """Start of the newest completed run in which `source` succeeded."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(runs.c.started_at, runs.c.source_stats)
                                .where(runs.c.status == "completed")
                                .order_by(runs.c.id.desc())).all()
        for started, stats in rows:
            if (stats or {}).get(source, {}).get("ok"):
                return started if started.tzinfo else started.replace(tzinfo=timezone.utc)
        return None

    # -- runs --------------------------------------------------------------

    def start_run(self, parameters: dict[str, Any]) -> int:
        with self.engine.begin() as conn:
            res = conn.execute(runs.insert().values(
                started_at=_now(), status="running", parameters=parameters, source_stats={}))
            return res.inserted_primary_key[0]

    def record_failures(self, run_id: int | None, items: Iterable[Failure]) -> None:
        values = [dict(run_id=run_id, source=f.source, item=f.item, reason=f.reason, at=_now())
                  for f in items]
        if values:
            with self.engine.begin() as conn:
                conn.execute(failures.insert(), values)

    def update_run(self, run_id: int, *, status: str | None = None,
                   source_stats: dict[str, Any] | None = None,
                   report_path: str | None = None) -> None:
        """Record progress; a status other than "running" also stamps the finish time."""
        values: dict[str, Any] = {}
        if status is not None:
            values["status"] = status
            if status != "running":
                values["finished_at"] = _now()
        if source_stats is not None:
            values["source_stats"] = source_stats
        if report_path is not None:
            values["report_path"] = report_path
        with self.engine.begin() as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(**values))

    def get_run(self, run_id: int) -> RunRecord:
        with self.engine.connect() as conn:
            row = conn.execute(select(runs).where(runs.c.id == run_id)).mappings().one()
            fails = [Failure(f.source, f.item, f.reason) for f in conn.execute(
                select(failures).where(failures.c.run_id == run_id).order_by(failures.c.pk))]
        return RunRecord(failures=fails, **row)

    def list_runs(self) -> list[RunRecord]:
        with self.engine.connect() as conn:
            ids = conn.execute(select(runs.c.id).order_by(runs.c.id)).scalars().all()
        return [self.get_run(i) for i in ids]

    # -- reading for reports ------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Row counts per table; latest-version counts for documents."""
        with self.engine.connect() as conn:
            out = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                   for t in (sources, documents, sentences, claims, studies, outcomes, verdicts)}
        return out

    def latest_documents(self) -> Iterator[dict[str, Any]]:
        """Latest version of every source, with its extraction summary."""
        q = (select(documents.c.pk, documents.c.source_id, sources.c.kind, sources.c.origin,
                    documents.c.title, documents.c.source, documents.c.published,
                    documents.c.pmid, documents.c.pmcid, documents.c.doi, documents.c.nct_id,
                    documents.c.raw_location, documents.c.conditions, documents.c.scores,
                    documents.c.record, documents.c.extracted_at, documents.c.version,
                    documents.c.run_id)
             .join(sources, (sources.c.id == documents.c.source_id)
                   & (sources.c.latest_version == documents.c.version))
             .order_by(documents.c.source_id))
        with self.engine.connect() as conn:
            for row in conn.execute(q).mappings():
                yield dict(row)

    def rows_for(self, table_name: str, document_pks: list[int]) -> list[dict[str, Any]]:
        """All rows of an extraction table for the given document versions."""
        table = {"sentences": sentences, "claims": claims, "studies": studies,
                 "outcomes": outcomes}[table_name]
        out: list[dict[str, Any]] = []
        with self.engine.connect() as conn:
            for chunk in _chunks(document_pks, 500):
                q = select(table).where(table.c.document_pk.in_(chunk))
                out += [dict(r) for r in conn.execute(q).mappings()]
        return out

    def verdicts_for(self, claim_pks: list[int]) -> dict[int, dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(claim_pks, 500):
                for r in conn.execute(select(verdicts).where(verdicts.c.claim_pk.in_(chunk))).mappings():
                    out[r["claim_pk"]] = dict(r)
        return out


def _dedupe_batch(docs: Iterable[Document]) -> dict[str, tuple[Document, str]]:
    """Last copy wins when a batch holds the same id twice (e.g. a re-export)."""
    return {doc.id: (doc, doc.content_hash()) for doc in docs}


def _latest_hashes(conn, ids: list[str]) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for chunk in _chunks(ids, 500):
        q = (select(sources.c.id, sources.c.latest_version, documents.c.content_hash)
             .join(documents, (documents.c.source_id == sources.c.id)
                   & (documents.c.version == sources.c.latest_version))
             .where(sources.c.id.in_(chunk)))
        found.update({i: (v, h) for i, v, h in conn.execute(q)})
    return found


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _claim_row(pk: int, c) -> dict[str, Any]:
    q = c.quantity
    return dict(document_pk=pk, sentence_i=c.sentence, text=c.text, type=c.type,
                conditions=c.conditions, evidence=c.evidence, citations=c.citations,
                quantity_value=q.value if q else None, quantity_unit=q.unit if q else None,
                quantity_op=q.op if q else None)


def _outcome_row(pk: int, o) -> dict[str, Any]:
    return dict(document_pk=pk, sentence_i=o.sentence, measure=o.measure, kind=o.kind,
                arm=o.arm, value=o.value, unit=o.unit, p=o.p, timepoint=o.timepoint,
                direction=o.direction,
                ci_low=o.ci[0] if o.ci else None, ci_high=o.ci[1] if o.ci else None)
