"""The evidence store: the one place that writes SQL.

SQLite in the workdir by default; PostgreSQL by URL, with the same schema and
behaviour. Writes are idempotent: ingesting an unchanged document is a no-op,
a changed one becomes a new version and the old version is kept.

Opening a store brings its schema to the newest Alembic revision
(data/migrations/); one pipeline run at a time writes to it (`writer_lock`).
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import threading
import time
import zipfile
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import bindparam, create_engine, event, func, inspect, select, text, update
from sqlalchemy.engine import Connection, Engine

from data.records import Document, Extraction
from data.schema_sql import (claims, collection_state, documents, failures, metadata,
                             outcomes, runs, sentences, sources, studies, verdicts)

MIGRATIONS = Path(__file__).parent / "migrations"
BASELINE = "0001"             # the schema 0.1.0 created without Alembic
# PostgreSQL advisory lock classes of this application (any two constants do);
# the second key is the schema's oid, so stores in different schemas of one
# database do not block each other.
RUN_LOCK, SCHEMA_LOCK = 461_001, 461_002
PG_LOCK_KEY = "(SELECT oid::int FROM pg_namespace WHERE nspname = current_schema())"
LOCK_POLL = 0.5               # seconds between attempts while another run holds the store
PAGE = 500                    # rows (or keys in an IN list) a reading query takes at a time
# Alembic's `context` and `op` are module globals: one migration per process at a time.
_ALEMBIC_IN_USE = threading.Lock()

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
    durations: dict[str, float] | None = None
    flow_run_id: str | None = None
    failures: list[Failure] = field(default_factory=list)


class StoreBusy(Exception):
    """Another run kept the store's writer lock for longer than we would wait."""


def default_url(workdir: Path) -> str:
    return f"sqlite:///{(Path(workdir) / 'evidence.sqlite').resolve()}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets the report read while a batch writes; busy_timeout makes a
    # second writer wait instead of failing at once.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA busy_timeout=30000")
    _switch_to_wal(cur)
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def _switch_to_wal(cur, wait: float = 30.0) -> None:
    # Switching a new file to WAL needs its exclusive lock, and SQLite answers
    # "database is locked" at once, without its busy handler, while another
    # opener of the same new store holds any lock; so we wait here ourselves.
    deadline = time.monotonic() + wait
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def by_document(rows: Iterable[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """Rows of an extraction table by their document version (`document_pk`), in order."""
    out: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        out.setdefault(row["document_pk"], []).append(row)
    return out


class EvidenceStore:
    """Documents, extractions, verdicts and runs of one workdir."""

    def __init__(self, url: str, archive_dir: Path | None = None):
        self.url = url
        self.engine: Engine = create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self.archive_dir = archive_dir
        _migrate(self.engine)

    @classmethod
    def open(cls, workdir: Path | str, url: str | None = None) -> "EvidenceStore":
        workdir = Path(workdir)
        workdir.mkdir(parents=True, exist_ok=True)
        return cls(url or default_url(workdir), archive_dir=workdir / "raw")

    # -- one writing run at a time -------------------------------------------

    @contextmanager
    def writer_lock(self, wait: float, on_wait: Callable[[str], None] | None = None
                    ) -> Iterator[list[int]]:
        """Hold the store for one pipeline run. A second run waits up to `wait`
        seconds (telling `on_wait` once), then raises StoreBusy. Yields the ids
        of runs found still "running": holding the lock proves they died, so
        they are marked interrupted and this run finishes their work."""
        release = self._try_lock()
        if release is None:
            if on_wait:
                on_wait(f"another run is writing to this store ({self._holder()}); "
                        f"waiting up to {wait:.0f} s for it to finish")
            deadline = time.monotonic() + wait
            while release is None:
                if time.monotonic() >= deadline:
                    raise StoreBusy(f"the store {self.display_url} is busy: {self._holder()} is still "
                                    f"writing to it after {wait:.0f} s of waiting; try again later "
                                    "or wait longer (--wait SECONDS, KETEV_LOCK_WAIT)")
                time.sleep(LOCK_POLL)
                release = self._try_lock()
        try:
            yield self._close_interrupted_runs()
        finally:
            release()

    @property
    def display_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def _try_lock(self) -> Callable[[], None] | None:
        """Take the run lock without blocking: its release function, or None if held."""
        if self.engine.dialect.name == "postgresql":
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            if conn.execute(text(f"SELECT pg_try_advisory_lock(:cls, {PG_LOCK_KEY})"),
                            {"cls": RUN_LOCK}).scalar_one():
                return lambda: _pg_unlock(conn)
            conn.close()
            return None
        path = _lock_file(self.engine, "run")
        if path is None:
            return lambda: None        # an in-memory database has one process
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return None
        return lambda: os.close(fd)    # closing the descriptor releases the flock

    def _holder(self) -> str:
        with self.engine.connect() as conn:
            row = conn.execute(select(runs.c.id, runs.c.started_at).where(runs.c.status == "running")
                               .order_by(runs.c.id.desc()).limit(1)).first()
        return f"run {row.id}, started {row.started_at:%Y-%m-%d %H:%M:%S} UTC" if row else "a run"

    def _close_interrupted_runs(self) -> list[int]:
        with self.engine.begin() as conn:
            ids = conn.execute(select(runs.c.id).where(runs.c.status == "running")).scalars().all()
            if ids:
                conn.execute(update(runs).where(runs.c.id.in_(ids)).values(status="interrupted"))
        return list(ids)

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
            unchanged = [i for i, (_, digest) in batch.items() if latest.get(i, (0, None))[1] == digest]
            changed = [(doc, digest, latest.get(i)) for i, (doc, digest) in batch.items()
                       if latest.get(i, (0, None))[1] != digest]
            counts.unchanged = len(unchanged)
            counts.updated = sum(1 for *_, known in changed if known)
            counts.new = len(changed) - counts.updated
            for chunk in _chunks(unchanged, 500):
                conn.execute(update(sources).where(sources.c.id.in_(chunk)).values(last_seen=now))
            if not changed:
                return counts
            locations = self._archive(changed)
            new_sources = [dict(id=d.id, kind=d.kind, origin=d.origin, url=d.url, latest_version=1,
                                first_seen=now, last_seen=now) for d, _, known in changed if not known]
            if new_sources:
                conn.execute(sources.insert(), new_sources)
            moved = [dict(sid=d.id, version=known[0] + 1, url=d.url)
                     for d, _, known in changed if known]
            if moved:
                conn.execute(update(sources).where(sources.c.id == bindparam("sid")).values(
                    latest_version=bindparam("version"), url=bindparam("url"), last_seen=now), moved)
            conn.execute(documents.insert(), [dict(
                source_id=d.id, version=known[0] + 1 if known else 1, content_hash=digest,
                raw_location=locations.get(digest), raw_format=d.raw_format, title=d.title,
                source=d.source, published=d.published, pmid=d.pmid, pmcid=d.pmcid, doi=d.doi,
                nct_id=d.nct_id, record=d.to_dict(), collected_at=now, run_id=run_id)
                for d, digest, known in changed])
        return counts

    def _archive(self, changed: list[tuple[Document, str, Any]]) -> dict[str, str]:
        """Keep the original payloads of a batch in one zip, a member per content
        hash: creating thousands of small files costs more than writing them."""
        payloads = {digest: doc for doc, digest, _ in changed if doc.raw is not None}
        if self.archive_dir is None or not payloads:
            return {}
        names = {digest: f"{digest}.{RAW_SUFFIX.get(doc.raw_format, 'bin')}"
                 for digest, doc in payloads.items()}
        pack = hashlib.sha256("".join(sorted(payloads)).encode()).hexdigest()[:20]
        rel = Path(pack[:2]) / f"{pack}.zip"
        path = self.archive_dir / rel
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as pack_file:
                for digest, doc in payloads.items():
                    pack_file.writestr(names[digest], doc.raw)
            tmp.replace(path)
        return {digest: f"raw/{rel.as_posix()}#{name}" for digest, name in names.items()}

    def read_raw(self, location: str) -> bytes:
        """The archived payload at a `raw_location` ("raw/ab/<pack>.zip#<member>")."""
        pack, member = location.split("#", 1)
        with zipfile.ZipFile(self.archive_dir.parent / pack) as pack_file:
            return pack_file.read(member)

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

    def pending_extraction_pks(self) -> list[int]:
        """Keys of the latest versions not extracted yet, in order: a run plans its batches on them."""
        q = (select(documents.c.pk)
             .join(sources, (sources.c.id == documents.c.source_id)
                   & (sources.c.latest_version == documents.c.version))
             .where(documents.c.extracted_at.is_(None)).order_by(documents.c.pk))
        with self.engine.connect() as conn:
            return list(conn.execute(q).scalars())

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
            conn.execute(update(documents).where(documents.c.pk == bindparam("dpk")).values(
                extracted_at=bindparam("at"), conditions=bindparam("conds"),
                scores=bindparam("scores")),
                [dict(dpk=pk, at=_now(), conds=ex.conditions, scores=ex.scores) for pk, ex in rows])
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

    def start_run(self, parameters: dict[str, Any], flow_run_id: str | None = None) -> int:
        with self.engine.begin() as conn:
            res = conn.execute(runs.insert().values(
                started_at=_now(), status="running", parameters=parameters, source_stats={},
                durations={}, flow_run_id=flow_run_id))
            return res.inserted_primary_key[0]

    def record_failures(self, run_id: int | None, items: Iterable[Failure]) -> None:
        values = [dict(run_id=run_id, source=f.source, item=f.item, reason=f.reason, at=_now())
                  for f in items]
        if values:
            with self.engine.begin() as conn:
                conn.execute(failures.insert(), values)

    def update_run(self, run_id: int, *, status: str | None = None,
                   source_stats: dict[str, Any] | None = None,
                   report_path: str | None = None,
                   durations: dict[str, float] | None = None) -> None:
        """Record progress; a status other than "running" also stamps the finish time."""
        values: dict[str, Any] = {}
        if status is not None:
            values["status"] = status
            if status != "running":
                values["finished_at"] = _now()
        for name, value in (("source_stats", source_stats), ("report_path", report_path),
                            ("durations", durations)):
            if value is not None:
                values[name] = value
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
        """Row counts per table; `web_claims`: the claims of web pages (the
        others are studies' findings)."""
        web_claims = (select(func.count()).select_from(
            claims.join(documents, documents.c.pk == claims.c.document_pk)
                  .join(sources, sources.c.id == documents.c.source_id))
            .where(sources.c.kind == "web"))
        with self.engine.connect() as conn:
            out = {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                   for t in (sources, documents, sentences, claims, studies, outcomes, verdicts)}
            out["web_claims"] = conn.execute(web_claims).scalar_one()
        return out

    def latest_documents(self) -> Iterator[dict[str, Any]]:
        """Latest version of every source, with its extraction summary."""
        for page in self.latest_document_pages():
            yield from page

    def latest_document_pages(self, web: bool | None = None, record: bool = True,
                              size: int | None = None) -> Iterator[list[dict[str, Any]]]:
        """The latest versions by source id, `size` at a time, so that a reader of
        every document holds one page (each page is its own short query).
        `web`: only web pages (True), only the other kinds (False), or all;
        `record=False` leaves out the parsed record, the bulk of a row."""
        columns = [documents.c.pk, documents.c.source_id, sources.c.kind, sources.c.origin,
                   documents.c.title, documents.c.source, documents.c.published,
                   documents.c.pmid, documents.c.pmcid, documents.c.doi, documents.c.nct_id,
                   documents.c.raw_location, documents.c.conditions, documents.c.scores,
                   documents.c.extracted_at, documents.c.version, documents.c.run_id]
        size = size or PAGE
        q = (select(*columns, *([documents.c.record] if record else []))
             .join(sources, (sources.c.id == documents.c.source_id)
                   & (sources.c.latest_version == documents.c.version))
             .order_by(documents.c.source_id).limit(size))
        if web is not None:
            q = q.where((sources.c.kind == "web") if web else (sources.c.kind != "web"))
        last = None
        while True:
            with self.engine.connect() as conn:
                page = [dict(r) for r in conn.execute(
                    q if last is None else q.where(documents.c.source_id > last)).mappings()]
            if page:
                yield page
            if len(page) < size:
                return
            last = page[-1]["source_id"]

    def sentence_counts(self, document_pks: list[int]) -> dict[int, int]:
        """How many sentences each document version has (none: left out)."""
        out: dict[int, int] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(document_pks, PAGE):
                q = (select(sentences.c.document_pk, func.count()).where(sentences.c.document_pk.in_(chunk))
                     .group_by(sentences.c.document_pk))
                out.update(dict(conn.execute(q).all()))
        return out

    def rows_for(self, table_name: str, document_pks: list[int]) -> list[dict[str, Any]]:
        """All rows of an extraction table for the given document versions."""
        table = {"sentences": sentences, "claims": claims, "studies": studies,
                 "outcomes": outcomes}[table_name]
        out: list[dict[str, Any]] = []
        with self.engine.connect() as conn:
            for chunk in _chunks(document_pks, PAGE):
                q = select(table).where(table.c.document_pk.in_(chunk))
                out += [dict(r) for r in conn.execute(q).mappings()]
        return out

    def rows_by_document(self, table_name: str, document_pks: list[int]) -> dict[int, list[dict[str, Any]]]:
        """`rows_for`, grouped by document version (in the table's order within each)."""
        return by_document(self.rows_for(table_name, document_pks))

    def verdicts_for(self, claim_pks: list[int]) -> dict[int, dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(claim_pks, PAGE):
                for r in conn.execute(select(verdicts).where(verdicts.c.claim_pk.in_(chunk))).mappings():
                    out[r["claim_pk"]] = dict(r)
        return out


# -- schema -------------------------------------------------------------------

def _migrate(engine: Engine) -> None:
    """Create a new store at the newest revision, or upgrade an older one;
    concurrent openers wait for the one that migrates."""
    with engine.connect() as conn:
        if _revision(conn) == _head():
            return
    with _ALEMBIC_IN_USE, _schema_lock(engine), engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"SELECT pg_advisory_xact_lock(:cls, {PG_LOCK_KEY})"), {"cls": SCHEMA_LOCK})
        current = _revision(conn)          # again: another process may have migrated meanwhile
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        config.attributes["connection"] = conn
        if current is None and _tables_are_current(conn):
            # a new store, or one whose creation was cut short before its stamp
            # (SQLite commits each CREATE TABLE on its own, so a killed run can
            # leave the newest tables without a version): finish and stamp it
            metadata.create_all(conn)
            command.stamp(config, "head")
            return
        if current is None:
            command.stamp(config, BASELINE)
        command.upgrade(config, "head")


def _tables_are_current(conn: Connection) -> bool:
    """Does every table that exists have all the columns the newest schema
    gives it? True for an empty database; False for a store of 0.1.0, made
    before migrations, whose tables lack the later columns."""
    inspector = inspect(conn)
    for name, table in metadata.tables.items():
        if inspector.has_table(name):
            have = {c["name"] for c in inspector.get_columns(name)}
            if not {c.name for c in table.columns} <= have:
                return False
    return True


@lru_cache(maxsize=1)
def _head() -> str:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def _revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def _schema_lock(engine: Engine) -> Iterator[None]:
    """For SQLite, a file lock beside the database (PostgreSQL locks inside the transaction)."""
    path = _lock_file(engine, "schema")
    if path is None:
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _pg_unlock(conn: Connection) -> None:
    # The session outlives close() in the pool, and so would its advisory lock
    # (a process that dies takes both with it).
    try:
        conn.execute(text(f"SELECT pg_advisory_unlock(:cls, {PG_LOCK_KEY})"), {"cls": RUN_LOCK})
    finally:
        conn.close()


def _lock_file(engine: Engine, name: str) -> Path | None:
    """WORKDIR/evidence.sqlite-run.lock and the like; None for PostgreSQL or in-memory SQLite."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return Path(f"{database}-{name}.lock")


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
